using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using Keyward.Manifests.Yaml;
using ScalarStyle = YamlDotNet.Core.ScalarStyle;

namespace Keyward.Sealing;

/// <summary>How manifests are written.</summary>
public enum ManifestFormat
{
    Yaml,
    Json,
}

/// <summary>
/// Writes manifests built as <see cref="JsonObject"/>s (ordered, typed) as multi-document YAML or JSON, and reads YAML
/// back into that shape. Strings that YAML 1.1 (what kubectl's parser speaks) would read as something else, such as
/// "true", "yes", "1.0" or "", are quoted, so annotation values stay strings.
/// </summary>
public static partial class ManifestWriter
{
    private static readonly EmitterSettings Settings = EmitterSettings.Default.WithBestWidth(int.MaxValue).WithIndentedSequences();

    public static string ToText(IEnumerable<JsonObject> documents, ManifestFormat format)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return format == ManifestFormat.Json ? ToJson(documents) : ToYaml(documents);
    }

    public static string ToYaml(IEnumerable<JsonObject> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var writer = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(writer, Settings);
        emitter.Emit(new StreamStart());
        bool first = true;
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: first));
            Emit(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
            first = false;
        }
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>One document as an indented JSON object; several as a <c>v1 List</c>, which kubectl reads as one.</summary>
    public static string ToJson(IEnumerable<JsonObject> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var list = documents.ToList();
        JsonNode root = list.Count == 1 ? list[0] : new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray(list.Select(d => (JsonNode)d.DeepClone()).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in array)
                    Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(null, null, text, NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true));

    /// <summary>
    /// True when the emitter's own choice (plain, or a block scalar for several lines) would not read back as this
    /// string under YAML 1.1 or 1.2: text a plain scalar would type, and text with a line break other than LF. Readers
    /// turn every line break of a block scalar into LF (CR, CRLF, and in YAML 1.1 NEL, LS and PS), so only a
    /// double-quoted scalar, where the emitter escapes them, keeps them.
    /// </summary>
    internal static bool NeedsQuotes(string text) =>
        text.Length == 0 || text.AsSpan().IndexOfAny("\r\u0085\u2028\u2029") >= 0 || NonStringPlainScalar().IsMatch(text)
        || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]); // a plain scalar drops them: a leading or trailing tab was lost

    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|=|<<|[-+]?\.?[0-9].*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex NonStringPlainScalar();

    /// <summary>Reads a YAML or JSON tree as JSON nodes: plain scalars become booleans, numbers and nulls as YAML resolves them.</summary>
    public static JsonNode? ToJsonNode(YamlValue node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case YamlMap map:
                var obj = new JsonObject();
                for (int i = 0; i < map.Count; i++)
                    obj[map.KeyAt(i).Value] = ToJsonNode(map.ValueAt(i));
                return obj;
            case YamlList sequence:
                return new JsonArray(sequence.Items.Select(ToJsonNode).ToArray());
            case YamlScalar { Style: Keyward.Manifests.Yaml.ScalarStyle.Plain } plain:
                return PlainScalar(plain.Value);
            case YamlScalar scalar:
                return JsonValue.Create(scalar.Value);
            default:
                throw new InvalidOperationException($"unexpected YAML node {node.GetType().Name}");
        }
    }

    private static JsonValue? PlainScalar(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long integer))
            return JsonValue.Create(integer);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double real) && double.IsFinite(real))
            return JsonValue.Create(real);
        return JsonValue.Create(text);
    }

    /// <summary>UTF-8 bytes of the text, for writing.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
