using System.Globalization;
using System.Text;
using Keyward.Sops.Tree;
using Keyward.Sops.Values;

namespace Keyward.Sops.Stores;

/// <summary>
/// Writes trees as block YAML: comments where they were (inline ones at the end of their line), key order, and each
/// plaintext scalar in its original style when that still reads back as the same value. Encrypted comments inside
/// sequences are written as list items, as sops does.
/// </summary>
internal static class YamlTreeWriter
{
    public static string Write(IReadOnlyList<SopsDocument> documents, TreeLayout layout, SopsMapping? metadata)
    {
        var sb = new StringBuilder();
        for (int d = 0; d < documents.Count; d++)
        {
            var doc = documents[d];
            if (d > 0 || doc.ExplicitStart)
                sb.Append("---\n");
            var root = doc.Root;
            if (metadata is not null)
            {
                root = new SopsMapping();
                root.Items.AddRange(doc.Root.Items);
                root.Items.Add(new SopsEntry("sops", metadata));
            }
            if (root.Items.Count == 0)
                sb.Append("{}\n");
            else
                WriteMapping(sb, root, 0, layout);
        }
        return sb.ToString();
    }

    /// <summary>A list as a document of its own (sops's --extract of a list): items at the left margin.</summary>
    public static string WriteList(SopsSequence list, TreeLayout layout)
    {
        if (list.Values.Any() is false)
            return "[]\n";
        var sb = new StringBuilder();
        WriteSequence(sb, list, 0, layout);
        return sb.ToString();
    }

    private static void WriteMapping(StringBuilder sb, SopsMapping map, int indent, TreeLayout layout)
    {
        string? inline = null;
        foreach (var item in map.Items)
        {
            if (item is SopsComment comment)
            {
                if (comment.Inline)
                    inline = inline is null ? comment.Text : inline + " #" + comment.Text;
                else
                    sb.Append(' ', indent).Append('#').Append(comment.Text).Append('\n');
                continue;
            }
            var entry = (SopsEntry)item;
            sb.Append(' ', indent).Append(Key(entry)).Append(':');
            WriteValue(sb, entry.Value, indent, layout, inline, inSequence: false);
            inline = null;
        }
        if (inline is not null)
            sb.Append(' ', indent).Append('#').Append(inline).Append('\n');
    }

    private static void WriteSequence(StringBuilder sb, SopsSequence seq, int indent, TreeLayout layout)
    {
        string? inline = null;
        foreach (var item in seq.Items)
        {
            if (item is SopsComment comment)
            {
                if (comment.IsEncrypted)
                    sb.Append(' ', indent).Append("- ").Append(comment.Text).Append('\n');
                else if (comment.Inline)
                    inline = inline is null ? comment.Text : inline + " #" + comment.Text;
                else
                    sb.Append(' ', indent).Append('#').Append(comment.Text).Append('\n');
                continue;
            }
            sb.Append(' ', indent).Append('-');
            WriteValue(sb, item, indent, layout, inline, inSequence: true);
            inline = null;
        }
        if (inline is not null)
            sb.Append(' ', indent).Append('#').Append(inline).Append('\n');
    }

    private static void EndLine(StringBuilder sb, string? inline)
    {
        if (inline is not null)
            sb.Append(" #").Append(inline);
        sb.Append('\n');
    }

    private static void WriteValue(StringBuilder sb, SopsNode value, int indent, TreeLayout layout, string? inline, bool inSequence)
    {
        switch (value)
        {
            case SopsMapping m when m.Items.Count == 0:
                sb.Append(" {}");
                EndLine(sb, inline);
                break;
            case SopsSequence s when s.Items.Count == 0:
                sb.Append(" []");
                EndLine(sb, inline);
                break;
            case SopsMapping m when inSequence && inline is null && m.Items[0] is SopsEntry:
                // "- key: value" with the following keys aligned under the first.
                var nested = new StringBuilder();
                WriteMapping(nested, m, indent + 2, layout);
                sb.Append(' ').Append(nested, indent + 2, nested.Length - indent - 2);
                break;
            case SopsMapping m:
                EndLine(sb, inline);
                WriteMapping(sb, m, inSequence ? indent + 2 : indent + layout.Indent, layout);
                break;
            case SopsSequence s:
                EndLine(sb, inline);
                WriteSequence(sb, s, inSequence ? indent + 2 : layout.IndentSequences ? indent + layout.Indent : indent, layout);
                break;
            case SopsScalar scalar:
                WriteScalar(sb, scalar, inSequence ? indent + 2 : indent + layout.Indent, inline);
                break;
        }
    }

    private static string Key(SopsEntry entry) => entry.KeyStyle switch
    {
        ScalarStyle.SingleQuoted when CanSingleQuote(entry.Key) => SingleQuoted(entry.Key),
        ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted => DoubleQuoted(entry.Key),
        _ => YamlScalars.CanBePlain(entry.Key, isKey: true) ? entry.Key : DoubleQuoted(entry.Key),
    };

    private static void WriteScalar(StringBuilder sb, SopsScalar scalar, int blockIndent, string? inline)
    {
        if (scalar.Tag is not null)
            sb.Append(' ').Append(scalar.Tag.StartsWith("tag:", StringComparison.Ordinal) ? "!<" + scalar.Tag + ">" : scalar.Tag);
        switch (scalar.Kind)
        {
            case ScalarKind.Null:
                if (!string.IsNullOrEmpty(scalar.Source))
                    sb.Append(' ').Append(scalar.Source);
                EndLine(sb, inline);
                return;
            case ScalarKind.Str:
                WriteString(sb, scalar, blockIndent, inline);
                return;
            case ScalarKind.Float:
                sb.Append(' ').Append(scalar.Source ?? (TypedFloat(scalar.Text) is { } f ? GoFormat.FormatFloatYaml(f) : scalar.Text));
                break;
            case ScalarKind.Bool:
                sb.Append(' ').Append(scalar.Source ?? (scalar.Text == "True" ? "true" : "false"));
                break;
            case ScalarKind.Bytes:
                sb.Append(" !!binary ").Append(Convert.ToBase64String(scalar.PlaintextBytes()));
                break;
            default:
                sb.Append(' ').Append(scalar.Source ?? scalar.Text);
                break;
        }
        EndLine(sb, inline);
    }

    private static double? TypedFloat(string text) =>
        Engine.TypedValues.TryParseGoFloat(text, out var f) ? f : null;

    private static void WriteString(StringBuilder sb, SopsScalar scalar, int blockIndent, string? inline)
    {
        var text = scalar.Text;
        bool multiline = text.Contains('\n', StringComparison.Ordinal);
        var style = scalar.Style;
        if (style is ScalarStyle.Literal or ScalarStyle.Folded || style is ScalarStyle.Any or ScalarStyle.Plain && multiline)
        {
            if (CanLiteral(text))
            {
                WriteLiteral(sb, text, blockIndent, inline);
                return;
            }
            style = ScalarStyle.DoubleQuoted;
        }
        if (style is ScalarStyle.Plain or ScalarStyle.Any && YamlScalars.CanBePlain(text))
            sb.Append(' ').Append(text);
        else if (style is ScalarStyle.SingleQuoted or ScalarStyle.Plain or ScalarStyle.Any && CanSingleQuote(text))
            sb.Append(' ').Append(SingleQuoted(text));
        else
            sb.Append(' ').Append(DoubleQuoted(text));
        EndLine(sb, inline);
    }

    private static bool CanLiteral(string text)
    {
        if (text.Trim('\n').Length == 0 || text[0] is ' ' or '\t')
            return false;
        foreach (var c in text)
        {
            if (c != '\n' && c != '\t' && (char.IsControl(c) || c == '\uFEFF' || c == '\u2028' || c == '\u2029' || c == '\u0085'))
                return false;
        }
        foreach (var line in text.Split('\n'))
        {
            // Trailing spaces survive a literal block, but a line of only spaces before text would be read as indentation.
            if (line.Length > 0 && line.Trim().Length == 0)
                return false;
        }
        return true;
    }

    private static void WriteLiteral(StringBuilder sb, string text, int indent, string? inline)
    {
        string chomp;
        string body;
        if (!text.EndsWith('\n'))
        {
            chomp = "-";
            body = text;
        }
        else if (text.EndsWith("\n\n", StringComparison.Ordinal))
        {
            chomp = "+";
            body = text[..^1];
        }
        else
        {
            chomp = "";
            body = text[..^1];
        }
        sb.Append(" |").Append(chomp);
        EndLine(sb, inline);
        foreach (var line in body.Split('\n'))
        {
            if (line.Length > 0)
                sb.Append(' ', indent).Append(line);
            sb.Append('\n');
        }
    }

    private static bool CanSingleQuote(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || c == '\uFEFF' || c == '\u2028' || c == '\u2029')
                return false;
        }
        return text.Trim().Length == text.Length || text.Length > 0;
    }

    private static string SingleQuoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    internal static string DoubleQuoted(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c is '\uFEFF' or '\u2028' or '\u2029' or '\u0085')
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
