using System.Text.RegularExpressions;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>
/// A file with SOPS metadata that SOPS would refuse or that leaks: an empty or missing MAC, no key to decrypt
/// with, malformed ENC[] values, or values that should be encrypted (per the file's own encrypted_regex,
/// unencrypted_suffix... settings) but are plaintext, typically added by hand after encryption.
/// </summary>
public sealed partial class SopsDamagedRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    private const string Enc = "ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]";
    private const string Age = "  age:\n    - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n        YWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n        -----END AGE ENCRYPTED FILE-----\n";

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:(?:str|int|float|bool|bytes|comment)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex EncValue();

    private static readonly string[] KeyGroups = ["age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "key_groups"];

    public override string Id => "KW102";
    public override string Name => "sops-damaged";
    public override string Title => "SOPS file damaged, unauthenticated or partly plaintext";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.Secrets;
    public override string Why => "SOPS authenticates the whole file with a MAC; a file with an empty MAC, no key or plaintext values among the encrypted ones was edited outside SOPS: it either fails to decrypt in the cluster or carries a secret in clear.";
    public override string Fix => "Decrypt and re-encrypt the file with SOPS (keyward edit), never edit encrypted values by hand, and check that every key group is present.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("an empty MAC", $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {Enc}\nsops:\n{Age}  lastmodified: \"2025-01-01T00:00:00Z\"\n  mac: \"\"\n  version: 3.9.0\n", true),
        new("a value added in plaintext after encryption", $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {Enc}\n  admin-password: hunter2hunter2\nsops:\n{Age}  lastmodified: \"2025-01-01T00:00:00Z\"\n  mac: {Enc}\n  encrypted_regex: ^(data|stringData)$\n  version: 3.9.0\n", true),
        new("no key to decrypt with", $"password: {Enc}\nsops:\n  lastmodified: \"2025-01-01T00:00:00Z\"\n  mac: {Enc}\n  version: 3.9.0\n", true, "secrets.enc.yaml"),
        new("a dotenv file with a plaintext line and an empty MAC", "DB_PASSWORD=ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nAPI_TOKEN=tk-live-8842\nsops_age__list_0__map_recipient=age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\nsops_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----\\nYWdl\\n-----END AGE ENCRYPTED FILE-----\\n\nsops_lastmodified=2025-01-01T00:00:00Z\nsops_mac=\nsops_version=3.9.0\n", true, "app.enc.env"),
        new("a correctly encrypted dotenv file", "DB_PASSWORD=ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops_age__list_0__map_recipient=age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\nsops_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----\\nYWdl\\n-----END AGE ENCRYPTED FILE-----\\n\nsops_lastmodified=2025-01-01T00:00:00Z\nsops_mac=ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops_version=3.9.0\n", false, "app.enc.env"),
        new("a correctly encrypted file", $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {Enc}\nsops:\n{Age}  lastmodified: \"2025-01-01T00:00:00Z\"\n  mac: {Enc}\n  encrypted_regex: ^(data|stringData)$\n  version: 3.9.0\n", false),
        new("an unencrypted_suffix key left in clear on purpose", $"password: {Enc}\nhost_unencrypted: db.internal\nsops:\n{Age}  lastmodified: \"2025-01-01T00:00:00Z\"\n  mac: {Enc}\n  unencrypted_suffix: _unencrypted\n  version: 3.9.0\n", false, "app.enc.yaml"),
    ];

    /// <summary>dotenv files encrypted by SOPS keep their metadata in <c>sops_*</c> lines.</summary>
    public override void CheckText(SourceText text, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sink);
        if (!text.Text.Contains("sops_version=", StringComparison.Ordinal) || text.File.EndsWith(".yaml", StringComparison.Ordinal)
            || text.File.EndsWith(".yml", StringComparison.Ordinal) || text.File.EndsWith(".json", StringComparison.Ordinal))
            return;
        bool hasKey = false;
        int macOffset = -1;
        string? mac = null;
        for (int i = 0; i < text.LineCount; i++)
        {
            var line = text.Line(i + 1);
            int eq = line.IndexOf('=');
            if (line.IsEmpty || line[0] == '#' || eq <= 0)
                continue;
            var key = line[..eq].ToString();
            var value = line[(eq + 1)..].ToString();
            if (key.StartsWith("sops_", StringComparison.Ordinal))
            {
                hasKey |= key.Contains("__list_", StringComparison.Ordinal) && (key.EndsWith("__map_enc", StringComparison.Ordinal) || key.EndsWith("__map_recipient", StringComparison.Ordinal));
                if (key == "sops_mac")
                    (mac, macOffset) = (value, text.LineStart(i));
            }
            else if (value.Length > 0 && !value.StartsWith("ENC[", StringComparison.Ordinal) && !key.EndsWith("_unencrypted", StringComparison.Ordinal))
                sink.Report(text, text.LineStart(i), $"{key} is in plaintext in a SOPS-encrypted dotenv file (added after encryption?)", secrets: [value]);
        }
        if (string.IsNullOrEmpty(mac))
            sink.Report(text, Math.Max(0, macOffset), "SOPS metadata has an empty or missing MAC: the file is not authenticated");
        if (!hasKey)
            sink.Report(text, 0, "SOPS metadata lists no key (age, pgp, kms...): nobody can decrypt the file");
    }

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (document.Root.Child("sops") is not YamlMap sops)
            return;
        var mac = sops.Scalar("mac");
        if (string.IsNullOrEmpty(mac))
            sink.Report(document, sops.KeyNode("mac") ?? document.Root.KeyNode("sops"), "sops.mac", "SOPS metadata has an empty or missing MAC: the file is not authenticated", Severity.High);
        else if (!EncValue().IsMatch(mac))
            sink.Report(document, sops.Child("mac"), "sops.mac", "SOPS MAC is not an ENC[AES256_GCM,...] value", Severity.High);
        if (!KeyGroups.Any(g => sops.Child(g) is YamlList { Count: > 0 }))
            sink.Report(document, document.Root.KeyNode("sops"), "sops", "SOPS metadata lists no key (age, pgp, kms...): nobody can decrypt the file", Severity.High);
        var policy = new EncryptionPolicy(sops);
        foreach (var (key, value) in document.Root.Entries())
        {
            if (key.Value != "sops")
                Walk(document, sink, policy, key.Value, value, policy.Encrypts(key.Value, parentEncrypted: null));
        }
    }

    private static void Walk(ManifestDocument document, FindingSink sink, EncryptionPolicy policy, string path, YamlValue node, bool encrypted)
    {
        switch (node)
        {
            case YamlScalar scalar:
                var v = scalar.Value;
                bool isEnc = v.StartsWith("ENC[", StringComparison.Ordinal);
                if (encrypted && !isEnc && scalar.Tag is null && v.Length > 0)
                    sink.Report(document, scalar, path, "value is in plaintext in a SOPS-encrypted file (added after encryption?)", secrets: [v]);
                else if (isEnc && !EncValue().IsMatch(v))
                    sink.Report(document, scalar, path, "malformed SOPS ENC[] value");
                break;
            case YamlMap map:
                foreach (var (k, child) in map.Entries())
                    Walk(document, sink, policy, $"{path}.{k.Value}", child, policy.Encrypts(k.Value, encrypted));
                break;
            case YamlList seq:
                for (int i = 0; i < seq.Count; i++)
                    Walk(document, sink, policy, $"{path}[{i}]", seq[i], encrypted);
                break;
        }
    }

    /// <summary>SOPS's rules for which keys are encrypted, read from the file's own metadata.</summary>
    private sealed class EncryptionPolicy(YamlMap sops)
    {
        private readonly string? _unencryptedSuffix = sops.Scalar("unencrypted_suffix");
        private readonly string? _encryptedSuffix = sops.Scalar("encrypted_suffix");
        private readonly Regex? _unencryptedRegex = Compile(sops.Scalar("unencrypted_regex"));
        private readonly Regex? _encryptedRegex = Compile(sops.Scalar("encrypted_regex"));

        /// <summary>Whether values under <paramref name="key"/> are encrypted; <paramref name="parentEncrypted"/> null at the top.</summary>
        public bool Encrypts(string key, bool? parentEncrypted)
        {
            if (_encryptedRegex is not null)
                return parentEncrypted == true || _encryptedRegex.IsMatch(key);
            if (_encryptedSuffix is not null)
                return parentEncrypted == true || key.EndsWith(_encryptedSuffix, StringComparison.Ordinal);
            if (_unencryptedRegex is not null && _unencryptedRegex.IsMatch(key))
                return false;
            if (key.EndsWith(_unencryptedSuffix ?? "_unencrypted", StringComparison.Ordinal))
                return false;
            return parentEncrypted ?? true;
        }

        private static Regex? Compile(string? pattern)
        {
            if (string.IsNullOrEmpty(pattern))
                return null;
            try
            {
                return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
