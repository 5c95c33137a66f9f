using Keyward.Manifests.Yaml;

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
        var (roots, error) = YamlDocuments.Read(text);
        if (error is not null)
        {
            // Each document counts on its own, as kubectl decodes them: an error loses no other document.
            var (recovered, syntaxErrors) = StreamRecovery.Read(text, error);
            roots = recovered;
            foreach (var e in syntaxErrors)
                errors.Add(new ManifestParseError(file, e.Position, e.Message));
        }
        for (int i = 0; i < roots.Count; i++)
        {
            if (roots[i] is not YamlMap root)
                continue;
            documents.Add(new ManifestDocument(file, i, root));
            if (root.Scalar("kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && root.Child("items") is YamlList items)
            {
                foreach (var (_, item) in items.Mappings())
                    documents.Add(new ManifestDocument(file, i, item));
            }
        }
        return new Result(documents, errors);
    }
}
