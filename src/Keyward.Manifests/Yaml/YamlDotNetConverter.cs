using YamlDotNet.RepresentationModel;
using YamlDotNet.Core;
using DotNetScalarStyle = YamlDotNet.Core.ScalarStyle;

namespace Keyward.Manifests.Yaml;

/// <summary>
/// Turns YamlDotNet's representation model into Keyward's tree. YamlDotNet is the full YAML 1.1 reader the fast
/// reader falls back to, and the reference the fast reader is tested against.
/// </summary>
internal static class YamlDotNetConverter
{
    public static YamlValue Convert(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        int line = (int)node.Start.Line, column = (int)node.Start.Column;
        string? tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        switch (node)
        {
            case YamlScalarNode scalar:
                return new YamlScalar(scalar.Value ?? "", line, column, Style(scalar.Style), tag);
            case YamlSequenceNode sequence:
                var items = new YamlValue[sequence.Children.Count];
                for (int i = 0; i < items.Length; i++)
                    items[i] = Convert(sequence.Children[i]);
                return new YamlList(items, line, column, tag);
            case YamlMappingNode mapping:
                var keys = new List<YamlScalar>(mapping.Children.Count);
                var values = new List<YamlValue>(mapping.Children.Count);
                foreach (var (k, v) in mapping.Children)
                {
                    if (k is not YamlScalarNode)
                        continue;
                    keys.Add((YamlScalar)Convert(k));
                    values.Add(Convert(v));
                }
                return new YamlMap([.. keys], [.. values], line, column, tag);
            default:
                // An alias is resolved by the representation model; anything else is not YAML.
                throw new InvalidOperationException($"unexpected YAML node {node.NodeType}");
        }
    }

    private static ScalarStyle Style(DotNetScalarStyle style) => style switch
    {
        DotNetScalarStyle.SingleQuoted => ScalarStyle.SingleQuoted,
        DotNetScalarStyle.DoubleQuoted => ScalarStyle.DoubleQuoted,
        DotNetScalarStyle.Literal => ScalarStyle.Literal,
        DotNetScalarStyle.Folded => ScalarStyle.Folded,
        _ => ScalarStyle.Plain,
    };

    /// <summary>Reads every document with YamlDotNet. Documents read before an error are kept, as before.</summary>
    public static (List<YamlValue> Documents, (SourcePosition Position, string Message)? Error) ReadStream(string text)
    {
        var stream = new YamlStream();
        (SourcePosition, string)? error = null;
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            error = (new SourcePosition((int)e.Start.Line, (int)e.Start.Column), e.Message);
        }
        var documents = new List<YamlValue>(stream.Documents.Count);
        foreach (var document in stream.Documents)
            documents.Add(Convert(document.RootNode));
        return (documents, error);
    }
}
