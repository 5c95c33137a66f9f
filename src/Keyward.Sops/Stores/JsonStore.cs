using System.Globalization;
using System.Text;
using System.Text.Json;
using Keyward.Core;
using Keyward.Sops.Metadata;
using Keyward.Sops.Tree;
using Keyward.Sops.Values;

namespace Keyward.Sops.Stores;

/// <summary>
/// JSON: ordered objects, numbers that fit int64 as int (sops 3.13.2+) and others as float, written as Go's
/// encoding/json would (tab indent unless configured, <c>&lt; &gt; &amp;</c> escaped, <c>sops</c> last, final newline).
/// </summary>
public sealed class JsonStore : ISopsStore
{
    public StoreKind Kind => StoreKind.Json;

    public SopsFile Read(byte[] content, string source, bool encrypted)
    {
        var file = ReadTree(content, source);
        Stores.ExtractMetadata(file);
        return file;
    }

    /// <summary>The document as it is, a <c>sops</c> key included.</summary>
    internal static SopsFile ReadTree(byte[] content, string source)
    {
        var file = new SopsFile(StoreKind.Json, source);
        var root = Parse(content, source);
        if (root is not SopsMapping map)
            throw new KeywardException($"\"{source}\": the top level of a JSON file must be an object (sops cannot encrypt a top-level array or value)", "wrap it in an object: {\"items\": [...]} or {\"value\": ...}", FailureKind.Usage);
        file.Documents.Add(new SopsDocument(map));
        file.Layout = new TreeLayout { Indent = DetectIndent(content), FinalNewline = content.Length > 0 && content[^1] == '\n' };
        return file;
    }

    private static int DetectIndent(byte[] content)
    {
        int nl = Array.IndexOf(content, (byte)'\n');
        if (nl < 0 || nl + 1 >= content.Length)
            return 0;
        if (content[nl + 1] == '\t')
            return 0;
        int n = 0;
        while (nl + 1 + n < content.Length && content[nl + 1 + n] == ' ')
            n++;
        return n;
    }

    public static SopsNode Parse(byte[] content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        // The reader checks UTF-8 only where it decodes a string, and then throws an exception of its own.
        if (FirstInvalidUtf8(content) is int invalid)
        {
            var (badLine, badColumn) = LineColumn(content, invalid);
            throw new KeywardException($"\"{source}\" line {badLine} column {badColumn}: invalid UTF-8 (byte 0x{content[invalid]:x2})",
                "JSON files must be UTF-8; re-save the file as UTF-8", FailureKind.Usage);
        }
        var reader = new Utf8JsonReader(content, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read())
                throw new KeywardException($"\"{source}\": the file is empty", "a JSON file to encrypt holds one object: {\"key\": \"value\"}", FailureKind.Usage);
            var node = ReadValue(ref reader, source, content);
            if (reader.Read())
                throw new JsonException("unexpected data after the top-level value");
            return node;
        }
        catch (JsonException e)
        {
            var (line, column) = LineColumn(content, (int)reader.BytesConsumed);
            throw new KeywardException($"\"{source}\" line {line} column {column}: invalid JSON: {Reason(e.Message)}", "fix the JSON syntax", FailureKind.Usage, e);
        }
    }

    /// <summary>A reason in general terms: System.Text.Json's messages quote the text they stopped at (a secret, maybe).</summary>
    private static string Reason(string message) => ParserMessages.Json(message);

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null when all of it is.</summary>
    private static int? FirstInvalidUtf8(byte[] content)
    {
        if (System.Text.Unicode.Utf8.IsValid(content))
            return null;
        Span<char> chars = stackalloc char[512];
        int offset = 0;
        while (true)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(content.AsSpan(offset), chars, out int read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status == System.Buffers.OperationStatus.Done)
                return null;
            if (status is System.Buffers.OperationStatus.InvalidData or System.Buffers.OperationStatus.NeedMoreData)
                return Math.Min(offset, content.Length - 1);
        }
    }

    private static (int Line, int Column) LineColumn(byte[] content, int offset)
    {
        int line = 1, column = 1;
        for (int i = 0; i < Math.Min(offset, content.Length); i++)
        {
            if (content[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return (line, column);
    }

    private static SopsNode ReadValue(ref Utf8JsonReader reader, string source, byte[] content)
    {
        var (line, column) = (0, 0);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var map = new SopsMapping();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    if (!keys.Add(key))
                    {
                        (line, column) = LineColumn(content, (int)reader.TokenStartIndex);
                        throw new KeywardException($"\"{source}\" line {line} column {column}: duplicate key \"{key}\"", "remove one of them", FailureKind.Usage);
                    }
                    reader.Read();
                    map.Items.Add(new SopsEntry(key, ReadValue(ref reader, source, content)));
                }
                return map;
            case JsonTokenType.StartArray:
                var seq = new SopsSequence();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    seq.Items.Add(ReadValue(ref reader, source, content));
                return seq;
            case JsonTokenType.String:
                return new SopsScalar(ScalarKind.Str, reader.GetString()!, ScalarStyle.DoubleQuoted);
            case JsonTokenType.Number:
                var literal = Encoding.UTF8.GetString(reader.ValueSpan);
                if (reader.TryGetInt64(out var i) && !literal.Contains('.', StringComparison.Ordinal) && !literal.Contains('e', StringComparison.OrdinalIgnoreCase))
                    return new SopsScalar(ScalarKind.Int, i.ToString(CultureInfo.InvariantCulture)) { Source = literal };
                return new SopsScalar(ScalarKind.Float, GoFormat.FormatFloatF(reader.GetDouble())) { Source = literal };
            case JsonTokenType.True:
                return new SopsScalar(ScalarKind.Bool, "True");
            case JsonTokenType.False:
                return new SopsScalar(ScalarKind.Bool, "False");
            case JsonTokenType.Null:
                return new SopsScalar(ScalarKind.Null, "");
            default:
                throw new JsonException($"unexpected {reader.TokenType}");
        }
    }

    public byte[] Write(SopsFile file)
    {
        if (file.Documents.Count != 1)
            throw new KeywardException($"\"{file.Source}\": a JSON file holds one document, not {file.Documents.Count}", "write several documents as YAML", FailureKind.Usage);
        var root = file.Documents[0].Root;
        if (file.Metadata is not null)
        {
            root = new SopsMapping();
            root.Items.AddRange(file.Documents[0].Root.Items);
            root.Items.Add(new SopsEntry("sops", MetadataCodec.Write(file.Metadata)));
        }
        var sb = new StringBuilder();
        var indent = file.Layout.Indent == 0 ? "\t" : new string(' ', file.Layout.Indent);
        WriteNode(sb, root, indent, 0);
        sb.Append('\n');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    internal static void WriteNode(StringBuilder sb, SopsNode node, string indent, int depth)
    {
        switch (node)
        {
            case SopsMapping m:
                var entries = m.Entries.ToList();
                if (entries.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }
                sb.Append("{\n");
                for (int i = 0; i < entries.Count; i++)
                {
                    Indent(sb, indent, depth + 1);
                    AppendString(sb, entries[i].Key);
                    sb.Append(": ");
                    WriteNode(sb, entries[i].Value, indent, depth + 1);
                    sb.Append(i + 1 < entries.Count ? ",\n" : "\n");
                }
                Indent(sb, indent, depth);
                sb.Append('}');
                return;
            case SopsSequence s:
                var items = s.Items.Where(x => x is not SopsComment || ((SopsComment)x).IsEncrypted).ToList();
                if (items.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }
                sb.Append("[\n");
                for (int i = 0; i < items.Count; i++)
                {
                    Indent(sb, indent, depth + 1);
                    WriteNode(sb, items[i] is SopsComment c ? SopsScalar.Str(c.Text) : items[i], indent, depth + 1);
                    sb.Append(i + 1 < items.Count ? ",\n" : "\n");
                }
                Indent(sb, indent, depth);
                sb.Append(']');
                return;
            case SopsScalar scalar:
                sb.Append(scalar.Kind switch
                {
                    ScalarKind.Null => "null",
                    ScalarKind.Bool => scalar.Text == "True" ? "true" : "false",
                    ScalarKind.Int => scalar.Source ?? scalar.Text,
                    ScalarKind.Float => scalar.Source ?? (Engine.TypedValues.TryParseGoFloat(scalar.Text, out var f) && double.IsFinite(f) ? GoFormat.FormatFloatJson(f) : Quote(scalar.Text)),
                    ScalarKind.Bytes => Quote(Convert.ToBase64String(scalar.PlaintextBytes())),
                    _ => Quote(scalar.Text),
                });
                return;
        }
    }

    private static void Indent(StringBuilder sb, string indent, int depth)
    {
        for (int i = 0; i < depth; i++)
            sb.Append(indent);
    }

    internal static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        AppendString(sb, text);
        return sb.ToString();
    }

    /// <summary>A JSON string as Go's encoding/json writes it (HTML-sensitive characters escaped).</summary>
    internal static void AppendString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
