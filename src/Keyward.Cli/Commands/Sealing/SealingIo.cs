using System.Text;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Sealing;
using Keyward.Sops.Identities;

namespace Keyward.Cli.Commands.Sealing;

/// <summary>Input, output and certificates for keyward seal and unseal.</summary>
internal static class SealingIo
{
    /// <summary>Reads a manifest file (or stdin for null or "-") and returns its objects; <c>List</c> wrappers are unwrapped.</summary>
    public static IReadOnlyList<ManifestDocument> ReadManifests(CliConsole console, string? path)
    {
        var (text, name) = ReadText(console, path, "input file");
        return Parse(text, name);
    }

    /// <summary>
    /// Reads the Secrets to seal. A SOPS-encrypted file is decrypted in memory (identities as keyward decrypt finds
    /// them: -i files, SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt, SSH keys); no plaintext touches the disk.
    /// </summary>
    public static List<SecretManifest> ReadSecrets(CliConsole console, string? path, string[] identityFiles)
    {
        var (bytes, name) = ReadBytes(console, path, "input file");
        // As the other inputs are read: UTF-8, or UTF-16/32 by a byte-order mark (PowerShell 5's > writes UTF-16).
        var documents = Parse(InputFile.Decode(bytes), name);
        byte[]? plaintext = null;
        try
        {
            if (SopsSecretInput.IsSopsEncrypted(documents))
            {
                using var identities = SopsIdentities.Load(IdentityEnvironment.FromProcess(console.Environment, console.ReadSecret), identityFiles);
                plaintext = SopsSecretInput.Decrypt(bytes, name, identities);
                documents = Parse(Encoding.UTF8.GetString(plaintext), $"{name} (decrypted)");
            }
            else if (identityFiles.Length > 0)
            {
                console.Stderr.WriteLine($"keyward: warning: \"{name}\" is not SOPS-encrypted; --identity is not used");
            }
            var secrets = new List<SecretManifest>();
            try
            {
                foreach (var document in documents)
                    secrets.Add(SecretInput.Read(document));
            }
            catch
            {
                secrets.ForEach(s => s.Dispose());
                throw;
            }
            return secrets;
        }
        finally
        {
            if (plaintext is not null)
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static List<ManifestDocument> Parse(string text, string name)
    {
        RefuseBinary(text, name);
        var loaded = ManifestLoader.Load(text, name);
        if (loaded.Errors.Count > 0)
        {
            var e = loaded.Errors[0];
            throw new KeywardException($"\"{e.File}\" line {e.Position.Line} column {e.Position.Column}: invalid YAML or JSON: {FirstLine(e.Message)}", "fix the file at that position; kubectl create secret generic NAME --dry-run=client -o yaml writes a valid Secret", FailureKind.Usage);
        }
        var documents = loaded.Documents.Where(d => !(d.Kind?.EndsWith("List", StringComparison.Ordinal) ?? false) || d.Root.Child("items") is null).ToList();
        if (documents.Count == 0)
            throw new KeywardException($"\"{name}\": no manifest found", "pass a Secret manifest (kubectl create secret generic NAME --from-file=... --dry-run=client -o yaml)", FailureKind.Usage);
        return documents;
    }

    /// <summary>What to do about a manifest larger than <see cref="InputFile.ManifestMaxBytes"/>.</summary>
    private const string TooLargeHint = "a Secret or SealedSecret is a few KB (the API server takes about 1.5 MiB per object); check that this is the manifest you meant";

    public static (byte[] Bytes, string Name) ReadBytes(CliConsole console, string? path, string what)
    {
        if (path is null or "-")
            return (InputFile.ReadAll(console.Stdin, "standard input", InputFile.ManifestMaxBytes, TooLargeHint), "standard input");
        RejectFlag(path);
        try
        {
            return (InputFile.ReadAllBytes(path, what, InputFile.ManifestMaxBytes, TooLargeHint), path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"{what} \"{path}\" does not exist", "check the path", FailureKind.Usage, e);
        }
    }

    public static (string Text, string Name) ReadText(CliConsole console, string? path, string what)
    {
        var (bytes, name) = ReadBytes(console, path, what);
        return (InputFile.Decode(bytes), name);
    }

    /// <summary>System.CommandLine binds an unknown flag to the optional FILE argument; that is a usage error.</summary>
    public static void RejectFlag(string? path)
    {
        if (path is not null && path.Length > 1 && path.StartsWith('-'))
            throw new KeywardException($"unknown flag \"{path}\"", "run with --help for the list of flags; to read a file whose name starts with \"-\", write ./" + path, FailureKind.Usage);
    }

    /// <summary>Loads the certificate; an expired or not-yet-valid one is a warning, or an error with --strict-cert.</summary>
    public static SealingCertificate LoadCertificate(CliConsole console, string? path, bool strict)
    {
        if (string.IsNullOrEmpty(path))
            throw new KeywardException("missing --cert", "pass the controller's certificate: kubeseal --fetch-cert > cert.pem, then --cert cert.pem", FailureKind.Usage);
        if (CertificateSource.HasCredentials(path))
            console.Stderr.WriteLine($"keyward: warning: the --cert URL holds credentials, which other users of this machine can read in its process list; put them in {CertificateSource.AuthVariable} (user:password, or a token alone) and leave them out of the URL");
        var certificate = SealingCertificate.Load(path, auth: console.Environment(CertificateSource.AuthVariable) is { Length: > 0 } auth ? auth : null);
        if (CertificateSource.IsPlainHttp(path))
            console.Stderr.WriteLine($"keyward: warning: certificate fetched over plain http from \"{CertificateSource.Display(path)}\": anyone on the way could have swapped in their own key; prefer https, or a certificate file you committed");
        if (certificate.ValidityProblem(console.Time) is { } problem)
        {
            if (strict)
                throw new KeywardException(problem, "fetch the controller's current certificate (kubeseal --fetch-cert), or drop --strict-cert", FailureKind.Failed);
            // Only an expired certificate hints at a key the controller may have dropped; one from the future more
            // likely means a wrong clock here, or a certificate that is not the controller's current one.
            var why = certificate.NotAfter < console.Time.GetUtcNow()
                ? "the controller may no longer have its key"
                : "check this machine's clock, and that this is the controller's current certificate (kubeseal --fetch-cert)";
            console.Stderr.WriteLine($"keyward: warning: {problem}; sealing anyway ({why}; --strict-cert makes this an error)");
        }
        return certificate;
    }

    public static SealingKeyRing LoadKeys(string[] paths)
    {
        if (paths.Length == 0)
            throw new KeywardException("missing --key", "pass the controller's private key or key backup with --key KEY.pem (repeatable)", FailureKind.Usage);
        var ring = new SealingKeyRing();
        foreach (var path in paths)
            ring.AddFile(path);
        return ring;
    }

    public static ManifestFormat ParseFormat(string? text) => text switch
    {
        null or "yaml" => ManifestFormat.Yaml,
        "json" => ManifestFormat.Json,
        _ => throw new KeywardException($"unknown output format \"{text}\"", "use yaml or json", FailureKind.Usage),
    };

    /// <summary>Writes text to stdout, or atomically to a file (0600 when <paramref name="secret"/>).</summary>
    public static void WriteOutput(CliConsole console, string? outputPath, string? inputPath, string text, bool secret = false)
    {
        // Compared once links are followed: -o LINK-TO-INPUT would replace the Secret being sealed.
        if (outputPath is not null && outputPath != "-" && inputPath is not null && inputPath != "-" && AtomicFile.SameFile(inputPath, outputPath))
            throw new KeywardException("the output file is the input file", "write to another file, then rename it", FailureKind.Usage);
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            if (outputPath is null or "-")
            {
                console.Stdout.Write(bytes);
                console.Stdout.Flush();
            }
            else
            {
                AtomicFile.WriteAllBytes(outputPath, bytes, secret ? AtomicWriteOptions.Private : null);
            }
        }
        finally
        {
            if (secret)
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// YAML and JSON text never holds a NUL character, so one is a binary file, said at once: 200 MB of NULs took the
    /// YAML reader 27 s to call "no manifest found", and YamlDotNet takes a NUL for the end of its input.
    /// </summary>
    private static void RefuseBinary(string text, string name)
    {
        int at = text.AsSpan().IndexOf('\0');
        if (at < 0)
            return;
        int lineStart = text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
        int line = text.AsSpan(0, lineStart).Count('\n') + 1;
        throw new KeywardException($"\"{name}\": not a manifest: a NUL byte at line {line} column {at - lineStart + 1}, so a binary file, not YAML or JSON",
            "pass the manifest as YAML or JSON text (kubectl ... -o yaml writes one); a file saved as UTF-16 needs its byte-order mark", FailureKind.Usage);
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        var line = newline < 0 ? message : message[..newline];
        return line.Length > 1 && char.IsUpper(line[0]) && !char.IsUpper(line[1]) ? char.ToLowerInvariant(line[0]) + line[1..] : line;
    }
}
