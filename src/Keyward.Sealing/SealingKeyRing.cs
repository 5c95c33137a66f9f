using System.Security.Cryptography;
using System.Text;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;
using Org.BouncyCastle.Crypto.Parameters;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Keyward.Sealing;

/// <summary>
/// The controller's private keys, for disaster recovery (<c>kubeseal --recovery-unseal</c>). Reads PEM keys
/// (PKCS#1 <c>RSA PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c>, several per file) or the controller's key backup
/// (<c>kubectl get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml</c>: Secrets holding <c>tls.key</c>).
/// Like the controller, unsealing tries every key.
/// </summary>
public sealed class SealingKeyRing
{
    private readonly List<RsaPrivateCrtKeyParameters> keys = [];

    public IReadOnlyList<RsaPrivateCrtKeyParameters> Keys => keys;

    /// <summary>Adds the keys in one file's text; <paramref name="source"/> names it in errors (quoted).</summary>
    public void Add(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        int before = keys.Count;
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            AddPem(text, source);
        else
            AddBackup(text, source);
        if (keys.Count == before)
            throw new KeywardException($"{source}: no RSA private key found",
                "pass the controller's private key (PEM) or its key backup (kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml)",
                FailureKind.Usage);
    }

    public void AddFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            // A backup of many keys is still a few KB per key: the manifests' limit is generous for it.
            text = InputFile.ReadAllText(path, "key file", InputFile.ManifestMaxBytes,
                "a controller key is about 3 KB, and its key backup a few KB per key: check the path");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"key file \"{path}\" does not exist", "check the path", FailureKind.Usage, e);
        }
        Add(text, $"\"{path}\"");
    }

    private void AddPem(string text, string source)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            var block = rest[fields.Location];
            rest = rest[fields.Location.End..];
            switch (label)
            {
                case "RSA PRIVATE KEY" or "PRIVATE KEY":
                    keys.Add(Import(block, label, source));
                    break;
                case "ENCRYPTED PRIVATE KEY":
                    throw new KeywardException($"{source}: the private key is encrypted with a passphrase", "decrypt it first (openssl pkey -in KEY -out PLAIN.pem), into a private folder", FailureKind.Usage);
                default:
                    break; // Certificates next to the key (the tls.crt of a backup) are expected; skip them.
            }
        }
    }

    private static RsaPrivateCrtKeyParameters Import(ReadOnlySpan<char> pem, string label, string source)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new KeywardException($"{source}: the {label} block is not an RSA private key", "the Sealed Secrets controller's keys are RSA", FailureKind.Usage, e);
        }
        var p = rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            return new RsaPrivateCrtKeyParameters(Big(p.Modulus), Big(p.Exponent), Big(p.D), Big(p.P), Big(p.Q), Big(p.DP), Big(p.DQ), Big(p.InverseQ));
        }
        finally
        {
            // BouncyCastle's BigIntegers cannot be wiped; the byte arrays at least do not linger.
            foreach (var part in new[] { p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ })
                CryptographicOperations.ZeroMemory(part);
        }
    }

    private static BigInteger Big(byte[]? bytes) => new(1, bytes ?? throw new CryptographicException("incomplete RSA key"));

    private void AddBackup(string text, string source)
    {
        var loaded = ManifestLoader.Load(text, source);
        if (loaded.Errors.Count > 0)
        {
            var e = loaded.Errors[0];
            throw new KeywardException($"{source} line {e.Position.Line} column {e.Position.Column}: neither a PEM key nor a YAML/JSON key backup: {e.Message}", "pass the controller's private key as PEM, or its backup: kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml", FailureKind.Usage);
        }
        foreach (var doc in loaded.Documents.Where(d => d.Kind == "Secret"))
        {
            if (doc.Root.Child("data")?.Child("tls.key") is not YamlScalar { Value: { } encoded } node)
                continue;
            byte[] pem;
            try
            {
                pem = Convert.FromBase64String(encoded);
            }
            catch (FormatException e)
            {
                var at = node.Position();
                throw new KeywardException($"{source} line {at.Line} column {at.Column}: Secret {doc.Reference.Name} data key \"tls.key\" is not valid base64", "take the backup again with kubectl get secret ... -o yaml; the file was changed or cut", FailureKind.Usage, e);
            }
            try
            {
                AddPem(Encoding.UTF8.GetString(pem), $"{source} Secret {doc.Reference.Name} tls.key");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pem);
            }
        }
    }
}
