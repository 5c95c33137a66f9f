using System.Security.Cryptography;
using Keyward.Age.Format;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Keyward.Age.Ssh;

/// <summary>Parses OpenSSH public key lines and unencrypted private key files into age recipients and identities.</summary>
public static class SshKeyParser
{
    /// <summary>True if the line looks like an SSH public key (<c>ssh-ed25519 AAAA...</c> or <c>ssh-rsa AAAA...</c>).</summary>
    public static bool IsPublicKeyLine(string line) =>
        line.StartsWith("ssh-ed25519 ", StringComparison.Ordinal) || line.StartsWith("ssh-rsa ", StringComparison.Ordinal);

    public static IAgeRecipient ParsePublicKey(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
            throw new AgeKeyException("malformed SSH public key: expected \"TYPE BASE64 [COMMENT]\"");
        byte[] wire;
        try
        {
            wire = Convert.FromBase64String(fields[1]);
        }
        catch (FormatException e)
        {
            throw new AgeKeyException("malformed SSH public key: invalid base64", null, e);
        }
        try
        {
            var reader = new SshWireReader(wire);
            var type = reader.ReadAsciiString();
            if (type != fields[0])
                throw new AgeKeyException($"malformed SSH public key: the line says {fields[0]} but the key is {type}");
            switch (type)
            {
                case "ssh-ed25519":
                    var pk = reader.ReadString();
                    if (pk.Length != 32 || !reader.IsEmpty)
                        throw new AgeKeyException("malformed ssh-ed25519 public key");
                    return new SshEd25519Recipient(wire, pk);
                case "ssh-rsa":
                    var e = new BcBigInteger(1, reader.ReadString().ToArray());
                    var n = new BcBigInteger(1, reader.ReadString().ToArray());
                    if (!reader.IsEmpty)
                        throw new AgeKeyException("malformed ssh-rsa public key");
                    return new SshRsaRecipient(wire, SshRsaKeys.PublicKey(n, e));
                default:
                    throw new AgeKeyException($"unsupported SSH key type {type}", "age supports ssh-ed25519 and ssh-rsa keys");
            }
        }
        catch (FormatException ex)
        {
            throw new AgeKeyException("malformed SSH public key: " + ex.Message, null, ex);
        }
    }

    /// <summary>True if the text is a PEM private key block (OpenSSH or PKCS#1/PKCS#8).</summary>
    public static bool IsPrivateKey(string text) =>
        text.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal) && text.Contains("PRIVATE KEY-----", StringComparison.Ordinal);

    public static IAgeIdentity ParsePrivateKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var trimmed = pem.Trim();
        if (trimmed.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", StringComparison.Ordinal))
            return ParseOpenSsh(trimmed);
        if (trimmed.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            // A PEM key keeps no public half in the clear: any stanza for an SSH key of its kind may be for it.
            bool rsa = trimmed.StartsWith("-----BEGIN RSA ", StringComparison.Ordinal);
            return Locked(rsa ? "ssh-rsa" : "ssh-ed25519", stanza => stanza.Type == "ssh-rsa" || !rsa && stanza.Type == "ssh-ed25519", null);
        }
        try
        {
            using var reader = new StringReader(trimmed);
            var obj = new PemReader(reader).ReadObject();
            var key = obj switch
            {
                AsymmetricCipherKeyPair pair => pair.Private,
                AsymmetricKeyParameter p => p,
                _ => null,
            };
            if (key is RsaPrivateCrtKeyParameters rsa)
                return new SshRsaIdentity(rsa);
            throw new AgeKeyException("unsupported private key type", "age supports ssh-ed25519 and ssh-rsa keys");
        }
        catch (Exception e) when (e is IOException or PemException or InvalidCastException or ArgumentException)
        {
            throw new AgeKeyException("malformed PEM private key", null, e);
        }
    }

    private static IAgeIdentity ParseOpenSsh(string pem)
    {
        var body = pem["-----BEGIN OPENSSH PRIVATE KEY-----".Length..];
        int end = body.IndexOf("-----END OPENSSH PRIVATE KEY-----", StringComparison.Ordinal);
        if (end < 0)
            throw new AgeKeyException("malformed OpenSSH private key: no END line");
        byte[] data;
        try
        {
            data = Convert.FromBase64String(body[..end]);
        }
        catch (FormatException e)
        {
            throw new AgeKeyException("malformed OpenSSH private key: invalid base64", null, e);
        }
        try
        {
            return ParseOpenSshBinary(data);
        }
        catch (FormatException e)
        {
            throw new AgeKeyException("malformed OpenSSH private key: " + e.Message, null, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    private static IAgeIdentity ParseOpenSshBinary(byte[] data)
    {
        var magic = "openssh-key-v1\0"u8;
        if (!data.AsSpan().StartsWith(magic))
            throw new FormatException("missing openssh-key-v1 magic");
        var reader = new SshWireReader(data.AsSpan(magic.Length));
        var cipher = reader.ReadAsciiString();
        var kdf = reader.ReadAsciiString();
        reader.ReadString();
        if (reader.ReadUInt32() != 1)
            throw new FormatException("expected exactly one key");
        var publicKey = reader.ReadString();
        if (cipher != "none" || kdf != "none")
        {
            // The public half is stored in the clear: files for this key are known by its tag, and it can be encrypted to.
            var recipient = ParsePublicKey(PublicKeyLine(publicKey));
            var tag = SshTag.Of(publicKey.ToArray());
            return Locked(recipient.StanzaType, stanza => stanza.Type == recipient.StanzaType && stanza.Arguments.Count > 0 && stanza.Arguments[0] == tag, recipient);
        }
        var priv = new SshWireReader(reader.ReadString());
        if (priv.ReadUInt32() != priv.ReadUInt32())
            throw new FormatException("check bytes differ (corrupt key)");
        var type = priv.ReadAsciiString();
        switch (type)
        {
            case "ssh-ed25519":
            {
                var pk = priv.ReadString();
                var sk = priv.ReadString();
                if (pk.Length != 32 || sk.Length != 64)
                    throw new FormatException("bad ssh-ed25519 key sizes");
                return new SshEd25519Identity(sk[..32], pk);
            }
            case "ssh-rsa":
            {
                var n = Big(priv.ReadString());
                var e = Big(priv.ReadString());
                var d = Big(priv.ReadString());
                var iqmp = Big(priv.ReadString());
                var p = Big(priv.ReadString());
                var q = Big(priv.ReadString());
                var dp = d.Mod(p.Subtract(BcBigInteger.One));
                var dq = d.Mod(q.Subtract(BcBigInteger.One));
                return new SshRsaIdentity(new RsaPrivateCrtKeyParameters(n, e, d, p, q, dp, dq, iqmp));
            }
            default:
                throw new AgeKeyException($"unsupported SSH key type {type}", "age supports ssh-ed25519 and ssh-rsa keys");
        }
    }

    private static BcBigInteger Big(ReadOnlySpan<byte> bytes) => new(1, bytes.ToArray());

    private static UnusableIdentity Locked(string type, Func<AgeStanza, bool> isFor, IAgeRecipient? recipient) =>
        new(type, isFor, "passphrase-protected SSH private keys are not supported yet",
            "use a native age identity (keyward age keygen), or an SSH key without a passphrase kept on an encrypted disk", recipient);

    /// <summary>"TYPE BASE64" for an SSH wire public key, as a .pub file has it.</summary>
    private static string PublicKeyLine(ReadOnlySpan<byte> wire)
    {
        var type = new SshWireReader(wire).ReadAsciiString();
        return type + " " + Convert.ToBase64String(wire);
    }
}
