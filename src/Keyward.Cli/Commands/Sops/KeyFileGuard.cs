using Keyward.Core;

namespace Keyward.Cli.Commands.Sops;

/// <summary>
/// Key files named where a SOPS file belongs. The usual cause is habit: <c>-i KEY</c> is --identity in
/// <c>age decrypt</c> and <c>seal</c>, but --in-place in <c>decrypt</c>, <c>encrypt</c> and <c>rotate</c>, as in sops.
/// Said plainly instead of a parser error about the key's text, and never with any of that text.
/// </summary>
internal static class KeyFileGuard
{
    /// <summary>Key files are small; anything larger is data whatever it starts with.</summary>
    private const int MaxKeyFileSize = 1 << 20;

    private enum Kind
    {
        None,
        AgeIdentity,
        PrivateKey,
        AgeEncrypted,
    }

    /// <summary>For commands that read an encrypted file: no key file can be one.</summary>
    public static void RefuseAsEncrypted(SopsCli.IoContext io, string path, ReadOnlySpan<byte> content)
    {
        var kind = Classify(content);
        if (kind == Kind.None)
            return;
        var inPlace = io.HasInPlaceFlag ? $"in keyward {io.Command}, -i means --in-place, as in sops; " : "";
        throw kind switch
        {
            Kind.AgeIdentity => new KeywardException($"\"{path}\" is an age identity file, not a SOPS file",
                inPlace + $"pass the key with --identity \"{path}\" (or set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY)", FailureKind.Usage),
            Kind.PrivateKey => new KeywardException($"\"{path}\" is a private key, not a SOPS file",
                inPlace + $"pass an SSH key with --identity \"{path}\" (or set SOPS_AGE_SSH_PRIVATE_KEY_FILE)", FailureKind.Usage),
            _ => new KeywardException($"\"{path}\" is an age-encrypted file, not a SOPS file",
                inPlace + "keyward age decrypt opens it; a passphrase-protected identity file is given with --identity FILE", FailureKind.Usage),
        };
    }

    /// <summary>
    /// For commands that decrypt several files at once, before any is decrypted: <c>decrypt FILE -i KEY</c> with no
    /// key configured would otherwise fail on FILE ("no identity matched") before KEY is looked at.
    /// </summary>
    public static void RefuseKeyFilesAsEncrypted(SopsCli.IoContext io, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            // Only regular files: a pipe (/dev/stdin, <(...)) says it is empty, and reading it here would leave
            // nothing for the decryption.
            var info = new FileInfo(path);
            if (info.Exists && info.Length <= MaxKeyFileSize && !UnixFileType.IsSpecial(path))
                RefuseAsEncrypted(io, path, File.ReadAllBytes(path));
        }
    }

    /// <summary>
    /// Adds to a "no identity matched" error, when no identity was found at all and -i was given, that -i is
    /// --in-place here: the key the user meant to give with it is what is missing.
    /// </summary>
    public static KeywardException WithInPlaceHint(SopsCli.IoContext io, KeywardException noMatch) =>
        new(noMatch.Message, $"in keyward {io.Command}, -i means --in-place, as in sops; pass the key with --identity KEY (or set SOPS_AGE_KEY_FILE)",
            noMatch.Kind, noMatch);

    /// <summary>
    /// For encrypt in place, or with --output leading back to the file: an age identity or a private key (SSH, PEM)
    /// would be replaced by its own ciphertext, and if it is the key the file is encrypted to, nobody could open it
    /// again. A copy written elsewhere is allowed.
    /// </summary>
    public static void RefuseInPlaceEncryption(SopsCli.IoContext io, string path, ReadOnlySpan<byte> content)
    {
        var what = Classify(content) switch
        {
            Kind.AgeIdentity => "an age identity file",
            Kind.PrivateKey => "a private key",
            _ => null,
        };
        if (what is null)
            return;
        throw new KeywardException($"\"{path}\" is {what}; encrypting it in place would leave only its ciphertext",
            $"in keyward {io.Command}, -i means --in-place, as in sops; to keep an encrypted copy of the key, write it elsewhere with --output FILE (one file at a time)",
            FailureKind.Usage);
    }

    // Read as bytes, never decoded to a string: a string holding a secret key cannot be zeroed.
    private static Kind Classify(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty || content.Length > MaxKeyFileSize)
            return Kind.None;
        var trimmed = content.TrimStart(" \t\r\n"u8);
        // At the start only: a SOPS file carries armored age blocks inside its metadata.
        if (content.StartsWith("age-encryption.org/v1\n"u8) || trimmed.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8))
            return Kind.AgeEncrypted;
        if (trimmed.StartsWith("-----BEGIN "u8) && trimmed.IndexOf("PRIVATE KEY-----"u8) >= 0)
            return Kind.PrivateKey;
        return IsAgeIdentityText(content) ? Kind.AgeIdentity : Kind.None;
    }

    /// <summary>
    /// age-keygen's output and what age reads with -i: every line a comment, blank, or an age secret key or plugin
    /// identity (any case), and at least one key. A dotenv or YAML file that holds a key as a value is data.
    /// </summary>
    private static bool IsAgeIdentityText(ReadOnlySpan<byte> text)
    {
        bool anyKey = false;
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range].Trim(" \t\r"u8);
            if (line.IsEmpty || line[0] == (byte)'#')
                continue;
            if (!StartsWithIgnoringCase(line, "AGE-SECRET-KEY-"u8) && !StartsWithIgnoringCase(line, "AGE-PLUGIN-"u8))
                return false;
            anyKey = true;
        }
        return anyKey;
    }

    private static bool StartsWithIgnoringCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> upperPrefix)
    {
        if (line.Length < upperPrefix.Length)
            return false;
        for (int i = 0; i < upperPrefix.Length; i++)
        {
            if (char.ToUpperInvariant((char)line[i]) != (char)upperPrefix[i])
                return false;
        }
        return true;
    }
}
