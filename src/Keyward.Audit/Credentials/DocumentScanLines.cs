using System.Runtime.CompilerServices;
using System.Text;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Credentials;

/// <summary>
/// The values of a manifest that credential patterns read as "key: value" lines: literal env values (the name is
/// on another YAML line) and base64-decoded Secret <c>data</c> / ConfigMap <c>binaryData</c>. Built once per
/// document and shared by the dozen credential rules, each of which would otherwise decode and concatenate the
/// same values again.
/// </summary>
internal sealed class DocumentScanLines
{
    /// <summary>Decoded values larger than this are not scanned (a bound against decode bombs).</summary>
    private const int MaxDecodedBytes = 1 << 20;

    private static readonly ConditionalWeakTable<ManifestDocument, DocumentScanLines> Cache = [];
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>A literal env value, scanned as "NAME: value"; its field path is made only for a finding.</summary>
    public sealed class EnvLine(string name, YamlScalar node, ContainerLocation container, int index) : ScanLine(name, node.Value)
    {
        public YamlScalar Node { get; } = node;

        public string Path => $"{container.Path}.env[{index}].value";
    }

    /// <summary>A decoded Secret <c>data</c> or ConfigMap <c>binaryData</c> value, scanned as "key: value".</summary>
    public sealed class DecodedLine(string field, string key, string decoded, YamlScalar node) : ScanLine(key, decoded)
    {
        public string Field { get; } = field;

        public YamlScalar Node { get; } = node;

        public string Base64 => Node.Value;
    }

    /// <summary>
    /// A "name: value" line the credential rules scan. Most lines hold no keyword of any pattern (tens of thousands of
    /// env values in a large repository): the keyword search runs on the two parts, and the line itself is made only
    /// when a rule has to run its patterns on it.
    /// </summary>
    public abstract class ScanLine(string name, string value)
    {
        private string? _line;
        private List<(int Start, int End)>?[]? _keywordLines;

        public string Name { get; } = name;

        public string Value { get; } = value;

        public string Line => _line ??= string.Concat(Name, ": ", Value);

        /// <summary>Where <see cref="Value"/> starts in <see cref="Line"/>.</summary>
        public int ValueOffset => Name.Length + 2;

        /// <summary>Whether a keyword of <paramref name="keywords"/> occurs in <see cref="Line"/>, without making the line.</summary>
        public bool AnyIn(Credentials.KeywordLines keywords) => keywords.AnyInJoined(Name, ": ", Value);

        /// <summary><see cref="SharedKeywordLines.FindAll"/> of the line, found on first use and shared by every rule.</summary>
        public List<(int Start, int End)>?[] KeywordLines => _keywordLines ??= SharedKeywordLines.FindAll(this);
    }

    public List<EnvLine> Env { get; } = [];

    public List<DecodedLine> Decoded { get; } = [];

    private static readonly DocumentScanLines None = new();

    /// <summary>The lines of a document; shared and empty for documents that have none (not a workload, Secret or ConfigMap).</summary>
    public static DocumentScanLines Of(ManifestDocument document) =>
        Workloads.FindPodSpec(document) is null && document.Kind is not ("Secret" or "ConfigMap") ? None : Cache.GetValue(document, Build);

    private static DocumentScanLines Build(ManifestDocument document)
    {
        var lines = new DocumentScanLines();
        if (Workloads.FindPodSpec(document) is { } pod)
        {
            foreach (var container in Workloads.Containers(pod))
            {
                foreach (var (i, env) in container.Container.Sequence("env").Mappings())
                {
                    if (env.Child("value") is not YamlScalar { Value.Length: > 0 } node || env.Scalar("name") is not { } name)
                        continue;
                    lines.Env.Add(new EnvLine(name, node, container, i));
                }
            }
        }
        var (field, encoded) = document.Kind switch
        {
            "Secret" => ("data", document.Root.Mapping("data")),
            "ConfigMap" => ("binaryData", document.Root.Mapping("binaryData")),
            _ => ("", null),
        };
        foreach (var (key, value) in encoded.Entries())
        {
            if (value is not YamlScalar { Value: { Length: > 0 and < MaxDecodedBytes * 4 / 3 + 4 } b64 } node)
                continue;
            // Scanned as "key: value" so patterns that need the key's name (OVH, generic) see it.
            if (TryDecodeText(b64) is { } decoded)
                lines.Decoded.Add(new DecodedLine(field, key.Value, decoded, node));
        }
        return lines;
    }

    private static string? TryDecodeText(string base64)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), bytes, out int written))
            return null;
        try
        {
            var text = StrictUtf8.GetString(bytes, 0, written);
            return text.Contains('\0', StringComparison.Ordinal) ? null : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}
