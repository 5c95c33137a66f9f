using System.Text;
using Keyward.Core;
using Keyward.Sops.Metadata;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Stores;

/// <summary>
/// INI as sops reads it through go-ini: <c>[section]</c> mappings of strings (every value is type str), keys before any
/// section in <c>DEFAULT</c>, <c>;</c>/<c>#</c> comments kept with the next section or key, <c>"""</c> multi-line values.
/// Metadata lives in a flattened <c>[sops]</c> section with newlines written as <c>\n</c>.
/// </summary>
public sealed class IniStore : ISopsStore
{
    private const string DefaultSection = "DEFAULT";

    public StoreKind Kind => StoreKind.Ini;

    public SopsFile Read(byte[] content, string source, bool encrypted)
    {
        var file = new SopsFile(StoreKind.Ini, source);
        var root = new SopsMapping();
        var defaults = new SopsMapping();
        var current = defaults;
        var pending = new List<SopsComment>();
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            int lineNumber = i + 1;
            if (line.Length == 0)
                continue;
            if (line[0] is ';' or '#')
            {
                pending.Add(new SopsComment(line.TrimStart(';', '#', ' ')) { Line = lineNumber });
                continue;
            }
            if (line[0] == '[')
            {
                int close = line.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                    throw new KeywardException($"\"{source}\" line {lineNumber}: invalid INI section header", "write [name]", FailureKind.Usage);
                var name = line[1..close];
                if (name == DefaultSection)
                {
                    current = defaults;
                }
                else
                {
                    if (root.Find(name) is not null)
                        throw new KeywardException($"\"{source}\" line {lineNumber}: duplicate section [{name}]", "merge the two sections", FailureKind.Usage);
                    current = new SopsMapping { Line = lineNumber };
                    root.Items.Add(new SopsEntry(name, current) { Line = lineNumber });
                }
                current.Items.AddRange(pending);
                pending.Clear();
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                eq = line.IndexOf(':', StringComparison.Ordinal);
            if (eq < 0)
                throw new KeywardException($"\"{source}\" line {lineNumber}: invalid INI line: no '=' found", "INI lines are key = value, [section] or ; comments", FailureKind.Usage);
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.StartsWith("\"\"\"", StringComparison.Ordinal))
            {
                var buffer = new StringBuilder();
                value = value[3..];
                while (!value.Contains("\"\"\"", StringComparison.Ordinal))
                {
                    buffer.Append(value).Append('\n');
                    if (++i >= lines.Length)
                        throw new KeywardException($"\"{source}\" line {lineNumber}: unterminated \"\"\" value", "close it with \"\"\"", FailureKind.Usage);
                    value = lines[i].TrimEnd('\r');
                }
                buffer.Append(value[..value.IndexOf("\"\"\"", StringComparison.Ordinal)]);
                value = buffer.ToString();
            }
            else if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }
            current.Items.AddRange(pending);
            pending.Clear();
            if (current.Find(key) is not null)
                throw new KeywardException($"\"{source}\" line {lineNumber}: duplicate key \"{key}\"", "remove one of them", FailureKind.Usage);
            current.Items.Add(new SopsEntry(key, SopsScalar.Str(value)) { Line = lineNumber });
        }
        current.Items.AddRange(pending);
        if (defaults.Items.Count > 0)
            root.Items.Insert(0, new SopsEntry(DefaultSection, defaults));
        if (root.Find("sops") is { Value: SopsMapping sops } metaEntry)
        {
            root.Items.Remove(metaEntry);
            var flat = sops.Entries.Select(e => (e.Key, ((SopsScalar)e.Value).Text.Replace("\\n", "\n", StringComparison.Ordinal), e.Line));
            file.Metadata = MetadataCodec.Read(Flattening.Unflatten(flat, source), source);
        }
        file.Documents.Add(new SopsDocument(root));
        return file;
    }

    public byte[] Write(SopsFile file)
    {
        var sb = new StringBuilder();
        var root = file.Documents.Count == 1 ? file.Documents[0].Root : throw new KeywardException($"\"{file.Source}\": an INI file holds one document", "choose another --output-type, or split the documents into files", FailureKind.Usage);
        bool first = true;
        foreach (var item in root.Items)
        {
            if (item is SopsComment c)
            {
                sb.Append("; ").Append(c.Text).Append('\n');
                continue;
            }
            var section = (SopsEntry)item;
            if (section.Value is not SopsMapping body)
                throw new KeywardException($"\"{file.Source}\": \"{section.Key}\" is not a section; INI files hold [section] mappings of strings", "choose another --output-type", FailureKind.Usage);
            if (!first)
                sb.Append('\n');
            first = false;
            var comments = body.Items.TakeWhile(i => i is SopsComment).Cast<SopsComment>().ToList();
            foreach (var comment in comments)
                sb.Append("; ").Append(comment.Text).Append('\n');
            if (section.Key != DefaultSection)
                sb.Append('[').Append(section.Key).Append("]\n");
            foreach (var inner in body.Items.Skip(comments.Count))
            {
                if (inner is SopsComment ic)
                    sb.Append("; ").Append(ic.Text).Append('\n');
                else if (inner is SopsEntry { Value: SopsScalar s } e)
                    sb.Append(e.Key).Append(" = ").Append(Value(DotenvStore.ScalarText(s))).Append('\n');
                else
                    throw new KeywardException($"\"{file.Source}\": [{section.Key}] \"{((SopsEntry)inner).Key}\" holds a nested value, which INI cannot represent", "choose another --output-type", FailureKind.Usage);
            }
        }
        if (file.Metadata is not null)
        {
            if (!first)
                sb.Append('\n');
            sb.Append("[sops]\n");
            foreach (var (key, value) in Flattening.Flatten(MetadataCodec.Write(file.Metadata)))
                sb.Append(key).Append(" = ").Append(value.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Value(string value) =>
        value.Contains('\n', StringComparison.Ordinal) ? "\"\"\"" + value + "\"\"\"" : value;
}
