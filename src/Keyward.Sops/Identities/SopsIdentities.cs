using System.Text;
using Keyward.Age;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Keyward.Core;
using Keyward.Sops.Crypto;

namespace Keyward.Sops.Identities;

/// <summary>Where identities are looked up; the environment and folders are injected for tests.</summary>
public sealed record IdentityEnvironment
{
    public required Func<string, string?> Variable { get; init; }

    public string? HomeDirectory { get; init; }

    /// <summary>The user config folder (Go's UserConfigDir: $XDG_CONFIG_HOME or ~/.config on Linux).</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>Asks for the passphrase of a passphrase-encrypted identity file; null when nobody can answer.</summary>
    public Func<string, string?> ReadPassphrase { get; init; } = _ => null;

    public static IdentityEnvironment FromProcess(Func<string, string?> variable, Func<string, string?> readPassphrase)
    {
        var home = variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var xdg = variable("XDG_CONFIG_HOME");
        string? config = !string.IsNullOrEmpty(xdg) ? xdg
            : OperatingSystem.IsWindows() ? variable("AppData")
            : OperatingSystem.IsMacOS() && !string.IsNullOrEmpty(home) ? Path.Combine(home, "Library", "Application Support")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".config") : null;
        return new IdentityEnvironment { Variable = variable, HomeDirectory = home, ConfigDirectory = config, ReadPassphrase = readPassphrase };
    }
}

/// <summary>
/// Loads age identities from every place sops looks, all together: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default
/// keys.txt, SOPS_AGE_SSH_PRIVATE_KEY_FILE, ~/.ssh/id_ed25519 and ~/.ssh/id_rsa, plus --identity files.
/// Missing default files are skipped; an explicitly named file that is missing or broken is an error.
/// </summary>
public static class SopsIdentities
{
    public static IdentitySet Load(IdentityEnvironment env, IEnumerable<string> identityFiles)
    {
        var set = new IdentitySet();
        foreach (var file in identityFiles)
            set.Add(ParseFile(env, file, $"--identity \"{file}\"", required: true), $"--identity \"{file}\"");
        var inline = env.Variable("SOPS_AGE_KEY");
        if (!string.IsNullOrWhiteSpace(inline))
            set.Add(ParseInline(inline), "SOPS_AGE_KEY");
        if (env.Variable("SOPS_AGE_KEY_FILE") is { Length: > 0 } keyFile)
            set.Add(ParseFile(env, keyFile, $"SOPS_AGE_KEY_FILE \"{keyFile}\"", required: true), $"SOPS_AGE_KEY_FILE \"{keyFile}\"");
        if (env.ConfigDirectory is { Length: > 0 } config)
        {
            var path = Path.Combine(config, "sops", "age", "keys.txt");
            if (File.Exists(path))
                set.Add(ParseFile(env, path, $"\"{path}\"", required: false), $"\"{path}\"");
        }
        if (env.Variable("SOPS_AGE_SSH_PRIVATE_KEY_FILE") is { Length: > 0 } sshFile)
        {
            set.Add(ParseFile(env, sshFile, $"SOPS_AGE_SSH_PRIVATE_KEY_FILE \"{sshFile}\"", required: true), $"SOPS_AGE_SSH_PRIVATE_KEY_FILE \"{sshFile}\"");
        }
        else if (env.HomeDirectory is { Length: > 0 } home)
        {
            foreach (var name in new[] { "id_ed25519", "id_rsa" })
            {
                var path = Path.Combine(home, ".ssh", name);
                if (!File.Exists(path))
                    continue;
                try
                {
                    set.Add(ParseFile(env, path, $"\"{path}\"", required: false), $"\"{path}\"");
                }
                catch (AgeException e)
                {
                    set.Warnings.Add($"skipped SSH key \"{path}\": {e.Message}");
                }
            }
        }
        return set;
    }

    /// <summary>
    /// SOPS_AGE_KEY as sops reads it, like an identity file: one key a line, <c>#</c> comments and blank lines
    /// skipped, CRLF tolerated, so a whole age-keygen output works. Several keys on one line separated by spaces
    /// are accepted too (keyward always did); each is parsed at its own line number so errors name the real line.
    /// </summary>
    private static List<IAgeIdentity> ParseInline(string text)
    {
        if (Keyward.Age.Ssh.SshKeyParser.IsPrivateKey(text))
            return [.. AgeKeyFile.ParseIdentities(text, "SOPS_AGE_KEY")];
        var identities = new List<IAgeIdentity>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            // Blank lines in front keep the parser's line numbers those of the variable.
            var padding = new string('\n', i);
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (Array.Exists(words, w => w.StartsWith('#')))
            {
                // "KEY # laptop": age has no trailing comments, so the whole line goes to the parser, which calls it
                // malformed at its line as it would in a key file.
                identities.AddRange(AgeKeyFile.ParseIdentities(padding + line, "SOPS_AGE_KEY"));
                continue;
            }
            foreach (var word in words)
                identities.AddRange(AgeKeyFile.ParseIdentities(padding + word, "SOPS_AGE_KEY"));
        }
        if (identities.Count == 0)
            throw new AgeKeyException("no identities found in SOPS_AGE_KEY", "it holds AGE-SECRET-KEY-1... lines, as an age-keygen output does");
        return identities;
    }

    private static IReadOnlyList<IAgeIdentity> ParseFile(IdentityEnvironment env, string path, string source, bool required)
    {
        byte[] bytes;
        try
        {
            bytes = InputFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (!required)
                return [];
            throw new KeywardException($"identity file {source} does not exist", "check the path", FailureKind.Usage, e);
        }
        try
        {
            if (bytes.AsSpan().StartsWith("age-encryption.org/v1\n"u8) || bytes.AsSpan().StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8))
                bytes = DecryptIdentityFile(env, bytes, source);
            return AgeKeyFile.ParseIdentities(Encoding.UTF8.GetString(bytes), source);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static byte[] DecryptIdentityFile(IdentityEnvironment env, byte[] encrypted, string source)
    {
        var passphrase = env.ReadPassphrase($"Enter passphrase for identity file {source}: ")
            ?? throw new KeywardException($"identity file {source} is passphrase-encrypted and there is no terminal to ask for the passphrase",
                "decrypt it once with keyward age decrypt and keep it in a protected place, or run interactively", FailureKind.Usage);
        using var identity = new ScryptIdentity(passphrase);
        try
        {
            return AgeDecryptor.Decrypt(encrypted, [identity]);
        }
        catch (AgeNoIdentityMatchException e)
        {
            throw new KeywardException($"cannot decrypt identity file {source}: wrong passphrase", e.Hint, FailureKind.Failed, e);
        }
    }
}
