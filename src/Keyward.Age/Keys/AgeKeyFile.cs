using Keyward.Age.Recipients;
using Keyward.Age.Ssh;

namespace Keyward.Age.Keys;

/// <summary>
/// Identity and recipient files as age reads them: UTF-8, one key per line, blank lines and <c># comments</c> ignored.
/// Errors name the source and the line, and never echo a secret key.
/// </summary>
public static class AgeKeyFile
{
    public static IReadOnlyList<IAgeIdentity> ParseIdentities(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SshKeyParser.IsPrivateKey(text))
        {
            var key = WithSource(() => SshKeyParser.ParsePrivateKey(text), source, 0);
            return [key is UnusableIdentity locked ? locked.Named(source) : key];
        }

        if (KeyLines(text).FirstOrDefault().Line is { } first && PemLabel(first) is { } label)
            throw new AgeKeyException($"{source}: a PEM {label}{(label.EndsWith(" BLOCK", StringComparison.Ordinal) ? "" : " block")}, not an age identity", WhatIdentityFilesHold);

        var identities = new List<IAgeIdentity>();
        foreach (var (lineNumber, line) in KeyLines(text))
        {
            if (line.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal))
            {
                identities.Add(WithSource(() => X25519Identity.Parse(line), source, lineNumber));
                continue;
            }
            // Kept, not refused: the file's other keys still open files for them (sops reads such files whole).
            if (line.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal))
            {
                identities.Add(new UnusableIdentity("mlkem768x25519", null, $"{source} line {lineNumber}: post-quantum (mlkem768x25519) identities are not supported yet",
                    "decrypt this file with age 1.3 or later, or re-encrypt it to an X25519 recipient as well (keyward rotate --add-age for SOPS files)"));
                continue;
            }
            if (line.StartsWith("AGE-PLUGIN-", StringComparison.Ordinal))
            {
                identities.Add(new UnusableIdentity("plugin", stanza => !NativeStanzaTypes.Contains(stanza.Type), $"{source} line {lineNumber}: age plugin identities are not supported",
                    "decrypt this file with age and its plugin, or re-encrypt it to a native age or SSH recipient as well"));
                continue;
            }
            throw new AgeKeyException($"{source} line {lineNumber}: not an age identity", WhatIdentityFilesHold + "; to encrypt to a public key use -r or -R");
        }
        if (identities.Count == 0)
            throw new AgeKeyException($"no identities found in {source}", "identity files hold AGE-SECRET-KEY-1... lines");
        return identities;
    }

    /// <summary>Parses a recipients file; unsupported SSH key types are skipped and reported in <paramref name="warnings"/>.</summary>
    public static IReadOnlyList<IAgeRecipient> ParseRecipients(string text, string source, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SshKeyParser.IsPrivateKey(text))
            return [RecipientOf(WithSource(() => SshKeyParser.ParsePrivateKey(text), source, 0), source)];

        var recipients = new List<IAgeRecipient>();
        var skipped = new List<string>();
        foreach (var (lineNumber, line) in KeyLines(text))
        {
            if (line.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal))
            {
                var identity = (X25519Identity)WithSource(() => X25519Identity.Parse(line), source, lineNumber);
                recipients.Add(identity.Recipient);
                identity.Dispose();
                continue;
            }
            if (IsOtherSshKeyLine(line))
            {
                // age's own wording, so a search for the message finds age's explanation too.
                skipped.Add($"{source} line {lineNumber}: ignoring unsupported SSH key of type {line.Split(' ')[0]}");
                warnings?.Add(skipped[^1]);
                continue;
            }
            recipients.Add(WithSource(() => ParseRecipient(line), source, lineNumber));
        }
        if (recipients.Count == 0)
        {
            // The warnings are never printed when this throws: say here why the lines did not count.
            throw skipped.Count > 0
                ? new AgeKeyException($"no recipients found in {source}: {string.Join("; ", skipped.Select(s => s[(source.Length + 1)..]))}", "age supports ssh-ed25519 and ssh-rsa keys")
                : new AgeKeyException($"no recipients found in {source}");
        }
        return recipients;
    }

    /// <summary>One recipient string: <c>age1...</c>, or an SSH public key line.</summary>
    public static IAgeRecipient ParseRecipient(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // First, and in any case or spacing: a pasted secret key must not reach a parser whose error quotes its input.
        if (LooksSecret(text))
            throw new AgeKeyException("that is a secret key, not a recipient", "give the public key (age1...); keyward age keygen -y prints it");
        if (SshKeyParser.IsPublicKeyLine(text))
            return SshKeyParser.ParsePublicKey(text);
        if (IsOtherSshKeyLine(text))
            throw new AgeKeyException($"unsupported SSH key of type {text.Trim().Split(' ')[0]}", "age supports ssh-ed25519 and ssh-rsa keys");
        if (Format.Bech32.TryDecode(text, out var hrp, out _) && hrp.StartsWith("age1", StringComparison.Ordinal))
        {
            throw hrp == "age1pq"
                ? new AgeKeyException("post-quantum (mlkem768x25519) recipients are not supported yet")
                : new AgeKeyException($"age plugin recipients ({hrp}) are not supported", "use a native age1... recipient or an SSH public key");
        }
        return X25519Recipient.Parse(text);
    }

    /// <summary>
    /// Whether text given as a recipient is secret instead: an age secret key or plugin identity in either case and
    /// with any spaces around it, or a private key. Such text is never to be printed, not even in an error about it.
    /// </summary>
    public static bool LooksSecret(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().Trim();
        return trimmed.StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("AGE-PLUGIN-", StringComparison.OrdinalIgnoreCase)
            || trimmed.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
    }

    /// <summary>The stanza types keyward reads itself; any other is a plugin's.</summary>
    private static readonly HashSet<string> NativeStanzaTypes = new(StringComparer.Ordinal) { "X25519", "scrypt", "ssh-ed25519", "ssh-rsa", "mlkem768x25519" };

    /// <summary>The recipient that encrypts to an identity (for -y and identity files used as recipients).</summary>
    public static IAgeRecipient RecipientOf(IAgeIdentity identity, string source) => identity switch
    {
        X25519Identity x => x.Recipient,
        SshEd25519Identity e => e.Recipient,
        SshRsaIdentity r => r.Recipient,
        UnusableIdentity { Recipient: { } r } => r,
        UnusableIdentity u => throw u.NoRecipient(),
        _ => throw new AgeKeyException($"{source}: this identity type has no recipient form"),
    };

    /// <summary>An SSH public key line of a type age does not support (ECDSA, security keys, DSA).</summary>
    private static bool IsOtherSshKeyLine(string line) =>
        !SshKeyParser.IsPublicKeyLine(line)
        && (line.StartsWith("ssh-", StringComparison.Ordinal) || line.StartsWith("ecdsa-sha2-", StringComparison.Ordinal)
            || line.StartsWith("sk-", StringComparison.Ordinal));

    private const string WhatIdentityFilesHold =
        "an identity file holds AGE-SECRET-KEY-1... lines or one SSH private key, or is one of those encrypted with a passphrase (-----BEGIN AGE ENCRYPTED FILE-----)";

    /// <summary>
    /// The label of a PEM BEGIN line (<c>-----BEGIN CERTIFICATE-----</c>), or null. A private key never gets here; a
    /// certificate, public key or PGP key block is named for what it is, as age names it ("unsupported key type").
    /// Only a well-formed label is quoted: a damaged line could hold anything.
    /// </summary>
    private static string? PemLabel(string line)
    {
        const string Begin = "-----BEGIN ", Dashes = "-----";
        if (!line.StartsWith(Begin, StringComparison.Ordinal) || !line.EndsWith(Dashes, StringComparison.Ordinal) || line.Length > 100)
            return null;
        var label = line[Begin.Length..^Dashes.Length];
        return label.Length > 0 && label[0] != ' ' && label[^1] != ' ' && label.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ')
            ? label : null;
    }

    /// <summary>The non-blank, non-comment lines with their 1-based numbers, trimmed (CRLF tolerated).</summary>
    private static IEnumerable<(int Number, string Line)> KeyLines(string text)
    {
        int number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
                yield return (number, line);
        }
    }

    private static T WithSource<T>(Func<T> parse, string source, int lineNumber)
    {
        try
        {
            return parse();
        }
        catch (AgeKeyException e)
        {
            var where = lineNumber > 0 ? $"{source} line {lineNumber}" : source;
            throw new AgeKeyException($"{where}: {e.Message}", e.Hint, e);
        }
    }
}
