using System.Security.Cryptography;
using System.Text;
using Keyward.Age.Format;
using Keyward.Age.Recipients;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Keyward.Age.Ssh;

/// <summary>An ssh-rsa public key as an age recipient: RSA-OAEP-SHA-256 with age's label (the BCL has no OAEP label).</summary>
public sealed class SshRsaRecipient : IAgeRecipient
{
    internal static readonly byte[] Label = Encoding.ASCII.GetBytes("age-encryption.org/v1/ssh-rsa");
    private readonly RsaKeyParameters _key;
    private readonly byte[] _wireKey;

    internal SshRsaRecipient(byte[] wireKey, RsaKeyParameters key)
    {
        _wireKey = wireKey;
        if (key.Modulus.BitLength < 2048)
            throw new AgeKeyException($"the ssh-rsa key is {key.Modulus.BitLength} bits; age requires at least 2048", "generate a stronger key: ssh-keygen -t ed25519");
        _key = key;
        Tag = SshTag.Of(wireKey);
    }

    public string StanzaType => "ssh-rsa";

    internal string Tag { get; }

    public IReadOnlyList<AgeStanza> Wrap(ReadOnlySpan<byte> fileKey, RandomSource random)
    {
        var oaep = new OaepEncoding(new RsaEngine(), new Sha256Digest(), new Sha256Digest(), Label);
        oaep.Init(true, new ParametersWithRandom(_key, new DelegatingSecureRandom(random)));
        var input = fileKey.ToArray();
        var body = oaep.ProcessBlock(input, 0, input.Length);
        CryptographicOperations.ZeroMemory(input);
        return [new AgeStanza("ssh-rsa", [Tag], body)];
    }

    /// <summary>The authorized_keys form, <c>ssh-rsa AAAA...</c>.</summary>
    public override string ToString() => "ssh-rsa " + Convert.ToBase64String(_wireKey);
}

/// <summary>An RSA private key (OpenSSH or PEM) as an age identity.</summary>
public sealed class SshRsaIdentity : IAgeIdentity
{
    private readonly RsaPrivateCrtKeyParameters _key;
    private readonly string _tag;

    internal SshRsaIdentity(RsaPrivateCrtKeyParameters key)
    {
        _key = key;
        var wire = SshRsaKeys.WireKey(key.PublicExponent, key.Modulus);
        _tag = SshTag.Of(wire);
        Recipient = new SshRsaRecipient(wire, SshRsaKeys.PublicKey(key.Modulus, key.PublicExponent));
    }

    public string StanzaType => "ssh-rsa";

    public SshRsaRecipient Recipient { get; }

    public bool TryUnwrap(IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != "ssh-rsa")
                continue;
            if (stanza.Arguments.Count != 1)
                throw new AgeHeaderException($"invalid ssh-rsa stanza: {stanza.Arguments.Count} arguments, expected 1");
            if (stanza.Arguments[0] != _tag)
                continue;
            byte[] key;
            try
            {
                var oaep = new OaepEncoding(new RsaBlindedEngine(), new Sha256Digest(), new Sha256Digest(), SshRsaRecipient.Label);
                oaep.Init(false, _key);
                key = oaep.ProcessBlock(stanza.Body, 0, stanza.Body.Length);
            }
            catch (InvalidCipherTextException e)
            {
                throw new AgeHeaderException("the ssh-rsa stanza is for this key (its tag matches) but does not decrypt", null, e);
            }
            catch (DataLengthException e)
            {
                throw new AgeHeaderException("the ssh-rsa stanza body has the wrong size for this key", null, e);
            }
            if (key.Length != WrapKey.FileKeySize)
                throw new AgeHeaderException("the ssh-rsa stanza holds a file key of the wrong size");
            key.CopyTo(fileKey);
            CryptographicOperations.ZeroMemory(key);
            return true;
        }
        return false;
    }
}

internal static class SshRsaKeys
{
    public static byte[] WireKey(Org.BouncyCastle.Math.BigInteger e, Org.BouncyCastle.Math.BigInteger n) =>
        SshWire.String("ssh-rsa"u8.ToArray(), e.ToByteArray(), n.ToByteArray());

    /// <summary>
    /// The public key, checked as BouncyCastle checks it (an odd modulus with no small factor, an odd exponent).
    /// age encrypts to such a key anyway, making a file no one can decrypt; here it is an error about the key.
    /// </summary>
    public static RsaKeyParameters PublicKey(Org.BouncyCastle.Math.BigInteger n, Org.BouncyCastle.Math.BigInteger e)
    {
        try
        {
            return new RsaKeyParameters(false, n, e);
        }
        catch (ArgumentException ex)
        {
            throw new AgeKeyException("malformed ssh-rsa key: its RSA modulus or public exponent is not a valid RSA key",
                "check that the key file is complete, or make a new key (ssh-keygen -t ed25519)", ex);
        }
    }
}

/// <summary>Lets BouncyCastle draw from an injected <see cref="RandomSource"/>.</summary>
internal sealed class DelegatingSecureRandom(RandomSource source) : SecureRandom
{
    public override void NextBytes(byte[] buf) => source(buf);

    public override void NextBytes(byte[] buf, int off, int len) => source(buf.AsSpan(off, len));
}
