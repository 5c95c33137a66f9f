using System.Security.Cryptography;
using Keyward.Age.Format;
using Keyward.Age.Recipients;

namespace Keyward.Age.Ssh;

/// <summary>An ssh-ed25519 public key as an age recipient (age's agessh tweaked X25519 construction).</summary>
public sealed class SshEd25519Recipient : IAgeRecipient
{
    internal static ReadOnlySpan<byte> Label => "age-encryption.org/v1/ssh-ed25519"u8;
    private readonly byte[] _wireKey;
    private readonly byte[] _montgomeryKey;

    internal SshEd25519Recipient(byte[] wireKey, ReadOnlySpan<byte> edwardsKey)
    {
        _wireKey = wireKey;
        _montgomeryKey = Ed25519Montgomery.ToMontgomery(edwardsKey);
        Tag = SshTag.Of(wireKey);
    }

    public string StanzaType => "ssh-ed25519";

    internal string Tag { get; }

    public IReadOnlyList<AgeStanza> Wrap(ReadOnlySpan<byte> fileKey, RandomSource random)
    {
        Span<byte> ephemeral = stackalloc byte[32];
        random(ephemeral);
        var share = Curve25519.ScalarBaseMult(ephemeral);
        if (!Curve25519.TryScalarMult(ephemeral, _montgomeryKey, out var shared))
            throw new AgeKeyException("the ssh-ed25519 key is a low-order point");
        CryptographicOperations.ZeroMemory(ephemeral);
        var wrapKey = SshEd25519Kdf.WrapKey(shared, share, _wireKey, _montgomeryKey);
        var body = WrapKey.Seal(wrapKey, fileKey);
        CryptographicOperations.ZeroMemory(wrapKey);
        return [new AgeStanza("ssh-ed25519", [Tag, AgeBase64.Encode(share)], body)];
    }

    /// <summary>The authorized_keys form, <c>ssh-ed25519 AAAA...</c>.</summary>
    public override string ToString() => "ssh-ed25519 " + Convert.ToBase64String(_wireKey);
}

/// <summary>An ssh-ed25519 private key as an age identity. Disposing zeroes the scalar.</summary>
public sealed class SshEd25519Identity : IAgeIdentity, IDisposable
{
    private readonly byte[] _scalar;
    private readonly byte[] _wireKey;
    private readonly byte[] _montgomeryKey;
    private readonly string _tag;

    internal SshEd25519Identity(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> edwardsPublicKey)
    {
        var hash = SHA512.HashData(seed);
        _scalar = hash[..32];
        CryptographicOperations.ZeroMemory(hash);
        _wireKey = SshWire.String("ssh-ed25519"u8.ToArray(), edwardsPublicKey.ToArray());
        _montgomeryKey = Ed25519Montgomery.ToMontgomery(edwardsPublicKey);
        _tag = SshTag.Of(_wireKey);
        Recipient = new SshEd25519Recipient(_wireKey, edwardsPublicKey);
    }

    public string StanzaType => "ssh-ed25519";

    public SshEd25519Recipient Recipient { get; }

    public bool TryUnwrap(IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != "ssh-ed25519")
                continue;
            if (stanza.Arguments.Count != 2)
                throw new AgeHeaderException($"invalid ssh-ed25519 stanza: {stanza.Arguments.Count} arguments, expected 2");
            if (!AgeBase64.TryDecode(stanza.Arguments[1], out var share) || share.Length != 32)
                throw new AgeHeaderException("invalid ssh-ed25519 stanza: the share is not 32 bytes of canonical base64");
            if (stanza.Arguments[0] != _tag)
                continue;
            if (stanza.Body.Length != WrapKey.WrappedSize)
                throw new AgeHeaderException($"invalid ssh-ed25519 stanza: the body is {stanza.Body.Length} bytes, expected {WrapKey.WrappedSize}");
            if (!Curve25519.TryScalarMult(_scalar, share, out var shared))
                throw new AgeHeaderException("invalid ssh-ed25519 stanza: all-zero shared secret");
            var wrapKey = SshEd25519Kdf.WrapKey(shared, share, _wireKey, _montgomeryKey);
            bool ok = WrapKey.TryOpen(wrapKey, stanza.Body, fileKey);
            CryptographicOperations.ZeroMemory(wrapKey);
            if (!ok)
                throw new AgeHeaderException("the ssh-ed25519 stanza is for this key (its tag matches) but does not decrypt",
                    "the file was damaged, or another key shares this key's 4-byte tag");
            return true;
        }
        return false;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_scalar);
}

internal static class SshEd25519Kdf
{
    public static byte[] WrapKey(byte[] shared, byte[] share, byte[] wireKey, byte[] montgomeryKey)
    {
        var tweak = Recipients.WrapKey.Hkdf([], wireKey, SshEd25519Recipient.Label);
        Curve25519.TryScalarMult(tweak, shared, out var tweaked);
        CryptographicOperations.ZeroMemory(tweak);
        CryptographicOperations.ZeroMemory(shared);
        var salt = new byte[64];
        share.CopyTo(salt, 0);
        montgomeryKey.CopyTo(salt, 32);
        var key = Recipients.WrapKey.Hkdf(tweaked, salt, SshEd25519Recipient.Label);
        CryptographicOperations.ZeroMemory(tweaked);
        return key;
    }
}

internal static class SshTag
{
    /// <summary>The stanza tag: unpadded base64 of the first 4 bytes of SHA-256 of the SSH wire public key.</summary>
    public static string Of(byte[] wireKey) => AgeBase64.Encode(SHA256.HashData(wireKey).AsSpan(0, 4));
}
