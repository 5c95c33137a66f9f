using System.Security.Cryptography;
using Keyward.Age.Format;

namespace Keyward.Age.Recipients;

/// <summary>A native X25519 identity, <c>AGE-SECRET-KEY-1...</c>. Disposing zeroes the secret scalar.</summary>
public sealed class X25519Identity : IAgeIdentity, IDisposable
{
    private readonly byte[] _secretKey;
    private readonly byte[] _publicKey;

    private X25519Identity(byte[] secretKey)
    {
        _secretKey = secretKey;
        _publicKey = Curve25519.ScalarBaseMult(secretKey);
    }

    public string StanzaType => "X25519";

    public static X25519Identity Generate(RandomSource? random = null)
    {
        var key = new byte[32];
        random.OrDefault()(key);
        return new X25519Identity(key);
    }

    public static X25519Identity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != "AGE-SECRET-KEY-" || data.Length != 32)
        {
            throw new AgeKeyException("malformed X25519 identity (AGE-SECRET-KEY-1...)",
                "identities are upper-case AGE-SECRET-KEY-1... lines as written by age-keygen or keyward age keygen");
        }
        return new X25519Identity(data);
    }

    public X25519Recipient Recipient => new(_publicKey);

    /// <summary>The secret key in its Bech32 form. An explicit export: the caller owns the string.</summary>
    public string ExportSecretKey() => Bech32.Encode("AGE-SECRET-KEY-", _secretKey, upperCase: true);

    public bool TryUnwrap(IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != "X25519")
                continue;
            if (stanza.Arguments.Count != 1)
                throw new AgeHeaderException($"invalid X25519 stanza: {stanza.Arguments.Count} arguments, expected 1");
            if (!AgeBase64.TryDecode(stanza.Arguments[0], out var share) || share.Length != 32)
                throw new AgeHeaderException("invalid X25519 stanza: the share is not 32 bytes of canonical base64");
            if (stanza.Body.Length != WrapKey.WrappedSize)
                throw new AgeHeaderException($"invalid X25519 stanza: the body is {stanza.Body.Length} bytes, expected {WrapKey.WrappedSize}");
            if (!Curve25519.TryScalarMult(_secretKey, share, out var shared))
                throw new AgeHeaderException("invalid X25519 stanza: the share is a low-order point (all-zero shared secret)");

            var salt = new byte[64];
            share.CopyTo(salt, 0);
            _publicKey.CopyTo(salt, 32);
            var wrapKey = WrapKey.Hkdf(shared, salt, "age-encryption.org/v1/X25519"u8);
            bool ok = WrapKey.TryOpen(wrapKey, stanza.Body, fileKey);
            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(wrapKey);
            if (ok)
                return true;
        }
        return false;
    }

    private bool _disposed;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_secretKey);
        _disposed = true;
    }
}
