using System.Security.Cryptography;
using Keyward.Age.Armor;
using Keyward.Age.Format;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Keyward.Age.Streaming;

namespace Keyward.Age;

/// <summary>
/// Decrypts age files, armored or not. Order as the reference: parse the header, unwrap the file key, check the
/// header MAC, then release the payload chunk by chunk as each authenticates.
/// </summary>
public static class AgeDecryptor
{
    /// <summary>
    /// Whole-buffer decryption: returns the plaintext, or throws and returns nothing. The working buffer is sized
    /// to the ciphertext, which the plaintext never outgrows, so it is never reallocated (leaving a copy behind), and
    /// it is zeroed on every path: only the returned array holds the plaintext, a SOPS data key or an identity file.
    /// </summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> ciphertext, IReadOnlyList<IAgeIdentity> identities)
    {
        using var input = new MemoryStream(ciphertext.ToArray(), writable: false);
        using var output = new MemoryStream(ciphertext.Length);
        try
        {
            Decrypt(input, output, identities);
            return output.GetBuffer().AsSpan(0, (int)output.Length).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output.GetBuffer());
        }
    }

    /// <summary>
    /// Streaming decryption. Plaintext is written to <paramref name="output"/> only after it authenticates; on a payload
    /// error what was written is the authentic prefix, and the caller decides whether to keep it.
    /// </summary>
    public static void Decrypt(Stream input, Stream output, IReadOnlyList<IAgeIdentity> identities,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(identities);

        var source = UnwrapArmor(input);
        var parsed = AgeHeaderReader.Read(source);
        var stanzas = parsed.Header.Stanzas;
        if (stanzas.Count > 1 && stanzas.Any(s => s.Type == "scrypt"))
            throw new AgeHeaderException("an scrypt stanza must be the only one in the header", "passphrase-encrypted files have exactly one recipient; the file was tampered with");
        if (identities.Count == 0)
            throw new AgeKeyException("no identities were given", "pass an identity file with -i, or use -p style passphrase decryption");

        var fileKey = new byte[WrapKey.FileKeySize];
        try
        {
            if (!TryUnwrap(identities, stanzas, fileKey))
                throw NoMatch(stanzas, identities);

            var expected = AgeHeader.ComputeMac(fileKey, parsed.MacInput);
            if (!CryptographicOperations.FixedTimeEquals(expected, parsed.Header.Mac))
                throw new AgeHeaderMacException();

            var nonce = new byte[Payload.NonceSize];
            int read = parsed.Payload.ReadAtLeast(nonce, nonce.Length, throwOnEndOfStream: false);
            if (read < nonce.Length)
                throw new AgeHeaderException(read == 0 ? "the file ends after the header (no payload nonce)" : "the payload nonce is truncated",
                    "the file is truncated; check that the whole file was copied");
            var payloadKey = Payload.DeriveKey(fileKey, nonce);
            try
            {
                PayloadDecryptor.Decrypt(payloadKey, parsed.Payload, output, cancellationToken);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(payloadKey);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    /// <summary>Usable identities first: a key keyward cannot use fails only a file that no other key opens.</summary>
    private static bool TryUnwrap(IReadOnlyList<IAgeIdentity> identities, IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey)
    {
        foreach (var identity in identities)
        {
            if (identity is not UnusableIdentity && identity.TryUnwrap(stanzas, fileKey))
                return true;
        }
        foreach (var identity in identities)
        {
            if (identity is UnusableIdentity && identity.TryUnwrap(stanzas, fileKey))
                return true;
        }
        return false;
    }

    /// <summary>Peeks at the start of the input: armored files are decoded lazily, line by line.</summary>
    private static Stream UnwrapArmor(Stream input)
    {
        var prefix = new byte[2048];
        int n = input.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var rewound = new PrefixedStream(prefix[..n], input);
        return ArmorDecodingStream.LooksArmored(prefix.AsSpan(0, n)) ? new ArmorDecodingStream(rewound) : rewound;
    }

    private static AgeNoIdentityMatchException NoMatch(IReadOnlyList<AgeStanza> stanzas, IReadOnlyList<IAgeIdentity> identities)
    {
        var fileTypes = stanzas.Select(s => s.Type).Distinct(StringComparer.Ordinal).ToList();
        var given = identities.GroupBy(i => i.StanzaType, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key} {(g.Count() == 1 ? "identity" : "identities")}");
        var message = $"no identity matched: the file is for {Join(fileTypes)} recipients; you gave {Join(given.ToList())}";
        string hint = fileTypes.Contains("scrypt") && !identities.Any(i => i.StanzaType == "scrypt")
            ? "the file is passphrase-encrypted; decrypt without -i to be asked for the passphrase"
            : fileTypes.Contains("scrypt")
                ? "the passphrase is wrong"
                : "the file was encrypted to other keys; check which identity file you passed with -i";
        return new AgeNoIdentityMatchException(message, hint, fileTypes);
    }

    private static string Join(List<string> items) => items.Count switch
    {
        0 => "no",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
