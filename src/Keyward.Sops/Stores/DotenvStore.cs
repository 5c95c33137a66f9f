using System.Text;
using Keyward.Core;
using Keyward.Sops.Metadata;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Stores;

/// <summary>
/// dotenv as sops reads it: lines split on '\n', blank lines dropped, <c>#</c> lines are comments, everything else is
/// KEY=VALUE split at the first '=', nothing trimmed or unquoted; a newline in a value is written <c>\n</c>. Metadata
/// is flattened into <c>sops_</c> keys.
/// </summary>
public sealed class DotenvStore : ISopsStore
{
    public StoreKind Kind => StoreKind.Dotenv;

    public SopsFile Read(byte[] content, string source, bool encrypted)
    {
        var file = new SopsFile(StoreKind.Dotenv, source);
        var root = new SopsMapping();
        var metadata = new List<(string Key, string Value, int Line)>();
        var text = Encoding.UTF8.GetString(content);
        int lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            if (line[0] == '#')
            {
                root.Items.Add(new SopsComment(line[1..]) { Line = lineNumber });
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                throw new KeywardException($"\"{source}\" line {lineNumber}: invalid dotenv line: no '=' found", "dotenv lines are KEY=VALUE or # comments", FailureKind.Usage);
            var key = line[..eq];
            var value = line[(eq + 1)..].Replace("\\n", "\n", StringComparison.Ordinal);
            if (key.StartsWith("sops_", StringComparison.Ordinal))
            {
                metadata.Add((key["sops_".Length..], value, lineNumber));
                continue;
            }
            if (root.Find(key) is not null)
                throw new KeywardException($"\"{source}\" line {lineNumber}: duplicate key \"{key}\"", "remove one of them", FailureKind.Usage);
            root.Items.Add(new SopsEntry(key, SopsScalar.Str(value)) { Line = lineNumber });
        }
        file.Documents.Add(new SopsDocument(root));
        if (metadata.Count > 0)
            file.Metadata = MetadataCodec.Read(Flattening.Unflatten(metadata, source), source);
        return file;
    }

    public byte[] Write(SopsFile file)
    {
        var sb = new StringBuilder();
        foreach (var doc in file.Documents)
        {
            foreach (var item in doc.Root.Items)
            {
                switch (item)
                {
                    case SopsComment c:
                        sb.Append('#').Append(c.Text).Append('\n');
                        break;
                    case SopsEntry { Value: SopsScalar s } e:
                        sb.Append(e.Key).Append('=').Append(Escape(ScalarText(s))).Append('\n');
                        break;
                    case SopsEntry e:
                        throw new KeywardException($"\"{file.Source}\": \"{e.Key}\" holds a nested value, which dotenv cannot represent", "choose another --output-type", FailureKind.Usage);
                }
            }
        }
        if (file.Metadata is not null)
        {
            foreach (var (key, value) in Flattening.Flatten(MetadataCodec.Write(file.Metadata)))
                sb.Append("sops_").Append(key).Append('=').Append(Escape(value)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>What a non-string value looks like in a string-only format (sops's ValToString for dotenv, INI and exec-env).</summary>
    public static string ScalarText(SopsScalar s) => s.Kind switch
    {
        ScalarKind.Bool => s.Text == "True" ? "true" : "false",
        ScalarKind.Null => "",
        ScalarKind.Float => s.Source ?? (Engine.TypedValues.TryParseGoFloat(s.Text, out var f) ? Values.GoFormat.FormatFloatYaml(f) : s.Text),
        _ => s.Source ?? s.Text,
    };

    private static string Escape(string value) => value.Replace("\n", "\\n", StringComparison.Ordinal);
}
