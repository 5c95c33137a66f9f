using System.Security.Cryptography;
using Keyward.Age.Format;

namespace Keyward.Age.Recipients;

/// <summary>A native X25519 recipient, <c>age1...</c>.</summary>
public sealed class X25519Recipient : IAgeRecipient
{
    internal const string Label = "age-encryption.org/v1/X25519";
    private readonly byte[] _publicKey;

    internal X25519Recipient(byte[] publicKey) => _publicKey = publicKey;

    public string StanzaType => "X25519";

    public static X25519Recipient Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != "age" || data.Length != Curve25519.KeySize)
        {
            throw new AgeKeyException($"malformed X25519 recipient {Abbreviate(text)}",
                "X25519 recipients look like age1... (62 characters, lower case); ask the recipient for their public key");
        }
        return new X25519Recipient(data);
    }

    public IReadOnlyList<AgeStanza> Wrap(ReadOnlySpan<byte> fileKey, RandomSource random)
    {
        Span<byte> ephemeral = stackalloc byte[32];
        random(ephemeral);
        var share = Curve25519.ScalarBaseMult(ephemeral);
        if (!Curve25519.TryScalarMult(ephemeral, _publicKey, out var shared))
            throw new AgeKeyException("the X25519 recipient is a low-order point", "this recipient is not a valid age public key");
        CryptographicOperations.ZeroMemory(ephemeral);

        var salt = new byte[64];
        share.CopyTo(salt, 0);
        _publicKey.CopyTo(salt, 32);
        var wrapKey = WrapKey.Hkdf(shared, salt, "age-encryption.org/v1/X25519"u8);
        var body = WrapKey.Seal(wrapKey, fileKey);
        CryptographicOperations.ZeroMemory(shared);
        CryptographicOperations.ZeroMemory(wrapKey);
        return [new AgeStanza("X25519", [AgeBase64.Encode(share)], body)];
    }

    public override string ToString() => Bech32.Encode("age", _publicKey);

    internal static string Abbreviate(string text) =>
        text.Length > 24 ? $"\"{text[..16]}...\"" : $"\"{text}\"";
}
