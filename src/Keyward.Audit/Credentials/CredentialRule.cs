using System.Text;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Credentials;

/// <summary>
/// A rule made of credential patterns. It scans every text file, and also the base64-decoded <c>data</c> values of
/// Secrets and the <c>binaryData</c> of ConfigMaps, where a plain text search cannot see the credential.
/// </summary>
public abstract class CredentialRule : Rule
{
    /// <summary>Decoded values larger than this are not scanned (a bound against decode bombs).</summary>
    private const int MaxDecodedBytes = 1 << 20;

    public override Category Category => Category.Credentials;

    public abstract IReadOnlyList<CredentialPattern> Patterns { get; }

    public override void CheckText(SourceText text, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var match in CredentialScanner.Scan(text.Text, Patterns, text.File))
            sink.Report(text, match.Offset, Message(match), secrets: [match.Secret]);
    }

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        ScanEnvironment(document, sink);
        var (field, encoded) = document.Kind switch
        {
            "Secret" => ("data", document.Root.Mapping("data")),
            "ConfigMap" => ("binaryData", document.Root.Mapping("binaryData")),
            _ => ("", null),
        };
        foreach (var (key, value) in encoded.Entries())
        {
            if (value is not YamlScalar { Value: { Length: > 0 and < MaxDecodedBytes * 4 / 3 + 4 } b64 })
                continue;
            var decoded = TryDecodeText(b64);
            if (decoded is null)
                continue;
            // Scanned as "key: value" so patterns that need the key's name (OVH, generic) see it.
            var line = $"{key.Value}: {decoded}";
            foreach (var match in CredentialScanner.Scan(line, Patterns, document.File))
            {
                sink.Report(document, value, $"{field}.{key.Value}", Message(match) + " (base64-encoded)",
                    secrets: [match.Secret, b64]);
            }
        }
    }

    /// <summary>Literal env values are scanned as "NAME: value": the name is on another line of the YAML.</summary>
    private void ScanEnvironment(ManifestDocument document, FindingSink sink)
    {
        if (Workloads.FindPodSpec(document) is not { } pod)
            return;
        foreach (var container in Workloads.Containers(pod))
        {
            foreach (var (i, env) in container.Container.Sequence("env").Mappings())
            {
                if (env.Child("value") is not YamlScalar { Value: { Length: > 0 } value } node || env.Scalar("name") is not { } name)
                    continue;
                foreach (var match in CredentialScanner.Scan($"{name}: {value}", Patterns, document.File))
                    sink.Report(document, node, $"{container.Path}.env[{i}].value", Message(match) + $" in environment variable {name}", secrets: [match.Secret]);
            }
        }
    }

    private static string Message(CredentialMatch match) =>
        $"{match.Pattern.Description} ({match.Pattern.Name}) hard-coded";

    private static string? TryDecodeText(string base64)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), bytes, out int written))
            return null;
        try
        {
            var text = new UTF8Encoding(false, true).GetString(bytes, 0, written);
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
