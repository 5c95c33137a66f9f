using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyward.Manifests;

/// <summary>Reads multi-document YAML or JSON manifests into <see cref="ManifestDocument"/>s, expanding <c>List</c> kinds.</summary>
public static class ManifestLoader
{
    public sealed record Result(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<ManifestParseError> Errors);

    public static Result Load(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var documents = new List<ManifestDocument>();
        var errors = new List<ManifestParseError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(new ManifestParseError(file, new SourcePosition((int)e.Start.Line, (int)e.Start.Column), e.Message));
        }
        for (int i = 0; i < stream.Documents.Count; i++)
        {
            if (stream.Documents[i].RootNode is not YamlMappingNode root)
                continue;
            documents.Add(new ManifestDocument(file, i, root));
            if (root.Scalar("kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && root.Child("items") is YamlSequenceNode items)
            {
                foreach (var item in items.Children.OfType<YamlMappingNode>())
                    documents.Add(new ManifestDocument(file, i, item));
            }
        }
        return new Result(documents, errors);
    }
}
