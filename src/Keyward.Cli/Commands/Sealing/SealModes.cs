using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Sealing;

namespace Keyward.Cli.Commands.Sealing;

/// <summary>The modes of keyward seal besides plain sealing: --raw, --merge-into and --verify.</summary>
internal static class SealModes
{
    /// <summary>The API server refuses a Secret of more than 1 MiB, so no single value can be larger.</summary>
    private const long ValueMaxBytes = 1L << 20;

    private const string ValueTooLarge = "a Secret holds at most 1 MiB: keep large files out of Secrets (a volume, an object store), or check that this is the value you meant";

    /// <summary>One value from stdin or a file, printed base64 on one line like kubeseal --raw.</summary>
    public static int Raw(CliConsole console, Sealer sealer, SealOptions options, string? fromFile, string? output)
    {
        var scope = options.Scope ?? SealingScope.Strict;
        SealingScopes.RequireTarget(scope, options.Namespace, options.Name, "--raw", "pass --namespace");
        byte[] value;
        if (fromFile is null && console.StdinIsTerminal)
        {
            value = Typed(console);
        }
        else if (fromFile is null or "-")
        {
            value = InputFile.ReadAll(console.Stdin, "the value on standard input", ValueMaxBytes, ValueTooLarge);
        }
        else
        {
            try
            {
                value = InputFile.ReadAllBytes(fromFile, "value file", ValueMaxBytes, ValueTooLarge);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new KeywardException($"value file \"{fromFile}\" does not exist", "check the path", FailureKind.Usage, e);
            }
        }
        try
        {
            SealingIo.WriteOutput(console, output, fromFile, sealer.SealRaw(value, scope, options.Namespace, options.Name) + "\n");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// The value typed at a prompt without echo, as the OVH secrets are asked: reading a terminal as a stream would show
    /// the secret on screen and in scrollback, and seal the newline of the Enter key. A pipe or a file is sealed byte
    /// for byte instead (kubeseal does the same), so a value that ends in a newline can still be given that way.
    /// </summary>
    private static byte[] Typed(CliConsole console)
    {
        var typed = console.ReadSecret("value to seal (not shown): ")
            ?? throw new KeywardException("stdin is a terminal, and keyward could not ask for the value without echo",
                "pipe the value in (printf %s \"$VALUE\" | keyward seal --raw ...) or pass --from-file FILE", FailureKind.Usage);
        if (typed.Length == 0)
            throw new KeywardException("no value typed", "type the value at the prompt; to seal an empty value, pipe it in: printf '' | keyward seal --raw ...", FailureKind.Usage);
        return System.Text.Encoding.UTF8.GetBytes(typed);
    }

    /// <summary>Seals one Secret's keys into an existing SealedSecret file and rewrites it atomically in its own format.</summary>
    public static int Merge(CliConsole console, SealingCertificate certificate, SealOptions options, string? inputPath, string target, string[] identityFiles)
    {
        var (existingText, _) = SealingIo.ReadText(console, target, "SealedSecret file");
        var existing = ManifestLoader.Load(existingText, target);
        if (existing.Errors.Count > 0)
        {
            var e = existing.Errors[0];
            throw new KeywardException($"\"{target}\" line {e.Position.Line} column {e.Position.Column}: invalid YAML or JSON", "fix the SealedSecret at that position, or seal to a new file with -o", FailureKind.Usage);
        }
        var sealedDocuments = existing.Documents.Where(SealedSecretManifest.IsSealedSecret).ToList();
        if (sealedDocuments.Count != 1 || existing.Documents.Count != 1)
            throw new KeywardException($"\"{target}\": --merge-into needs a file holding exactly one SealedSecret, it holds {Plural.Count(existing.Documents.Count, "object")}, {Plural.Count(sealedDocuments.Count, "SealedSecret")}",
                "give each SealedSecret a file of its own and merge into that one", FailureKind.Usage);

        var secrets = SealingIo.ReadSecrets(console, inputPath, identityFiles);
        MergeResult result;
        try
        {
            if (secrets.Count != 1)
                throw new KeywardException($"\"{secrets[0].File}\": --merge-into takes one Secret, found {secrets.Count} objects",
                    "merge one Secret at a time, each into its own SealedSecret file", FailureKind.Usage);
            result = SealedSecretMerger.Merge(sealedDocuments[0], secrets[0], certificate, options);
        }
        finally
        {
            secrets.ForEach(s => s.Dispose());
        }
        var format = existingText.TrimStart().StartsWith('{') ? ManifestFormat.Json : ManifestFormat.Yaml;
        AtomicFile.WriteAllBytes(target, ManifestWriter.Utf8(ManifestWriter.ToText([result.SealedSecret], format)));
        if (result.ScopeWarning is { } warning)
            console.Stderr.WriteLine($"keyward: warning: {warning}");
        console.Stderr.WriteLine($"keyward: merged into \"{target}\": {Describe("added", result.Added)}, {Describe("replaced", result.Replaced)}");
        return ExitCodes.Success;
    }

    /// <summary>Opens every value of every SealedSecret in FILE and reports, by key name only, those that do not open.</summary>
    public static int Verify(CliConsole console, string? inputPath, string[] keyPaths)
    {
        var unsealer = new Unsealer(SealingIo.LoadKeys(keyPaths));
        int total = 0, failed = 0;
        var sealedSecrets = SealingIo.ReadManifests(console, inputPath).Select(SealedSecretManifest.FromDocument).ToList();
        var allFailures = unsealer.VerifyAll(sealedSecrets);
        for (int i = 0; i < sealedSecrets.Count; i++)
        {
            var (sealedSecret, failures) = (sealedSecrets[i], allFailures[i]);
            if (sealedSecret.ScopeDisagreement is { } disagreement)
                console.Stderr.WriteLine($"keyward: warning: {disagreement}");
            total += sealedSecret.EncryptedData.Count;
            failed += failures.Count;
            foreach (var f in failures)
                console.Stderr.WriteLine($"keyward: \"{sealedSecret.File}\" line {f.Position.Line} column {f.Position.Column}: SealedSecret {sealedSecret.Namespace}/{sealedSecret.Name} key \"{f.Key}\": {f.Problem}");
            if (failures.Count == 0)
                console.Stderr.WriteLine($"keyward: ok: {sealedSecret.Where}: {Plural.Count(sealedSecret.EncryptedData.Count, "key")} open ({SealingScopes.Name(sealedSecret.Scope)} scope)");
        }
        if (failed > 0)
            throw new KeywardException($"{failed} of {Plural.Count(total, "sealed value")} {(failed == 1 ? "does" : "do")} not open", "the keys listed above were sealed with another key, or for another namespace, name or scope", FailureKind.Failed);
        return ExitCodes.Success;
    }

    private static string Describe(string what, IReadOnlyList<string> keys) =>
        keys.Count == 0 ? $"0 {what}" : $"{keys.Count} {what} ({string.Join(", ", keys)})";
}
