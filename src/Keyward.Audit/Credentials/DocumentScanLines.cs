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

    public sealed record EnvLine(string Line, string Name, YamlScalar Node, string Path) : ScanLine(Line);

    public sealed record DecodedLine(string Line, string Field, string Key, YamlScalar Node, string Base64) : ScanLine(Line);

    /// <summary>A line the credential rules scan; the keyword search for all their patterns is done once, for the first.</summary>
    public abstract record ScanLine(string Line)
    {
        private List<(int Start, int End)>?[]? _keywordLines;

        /// <summary><see cref="SharedKeywordLines.FindAll"/> of the line, found on first use and shared by every rule.</summary>
        public List<(int Start, int End)>?[] KeywordLines => _keywordLines ??= SharedKeywordLines.FindAll(Line);
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
                    if (env.Child("value") is not YamlScalar { Value: { Length: > 0 } value } node || env.Scalar("name") is not { } name)
                        continue;
                    lines.Env.Add(new EnvLine($"{name}: {value}", name, node, $"{container.Path}.env[{i}].value"));
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
                lines.Decoded.Add(new DecodedLine($"{key.Value}: {decoded}", field, key.Value, node, b64));
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
