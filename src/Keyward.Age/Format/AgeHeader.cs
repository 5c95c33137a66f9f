using System.Security.Cryptography;
using System.Text;

namespace Keyward.Age.Format;

/// <summary>
/// The age header: version line, stanzas and MAC. Parsing is strict so that the raw bytes and a re-serialisation
/// are identical, which is what lets the MAC be computed over <see cref="MacInput"/> without keeping anything else.
/// </summary>
public sealed class AgeHeader
{
    public const string VersionLine = "age-encryption.org/v1";
    public const int MacSize = 32;

    public AgeHeader(IReadOnlyList<AgeStanza> stanzas, byte[] mac)
    {
        Stanzas = stanzas;
        Mac = mac;
    }

    public IReadOnlyList<AgeStanza> Stanzas { get; }

    public byte[] Mac { get; }

    /// <summary>The header bytes from the version line through <c>---</c>, the input of the header MAC.</summary>
    public byte[] MacInput => SerializeWithoutMac();

    /// <summary>Writes the whole header, MAC line included.</summary>
    public byte[] Serialize()
    {
        var body = SerializeWithoutMac();
        var mac = Encoding.ASCII.GetBytes(" " + AgeBase64.Encode(Mac) + "\n");
        var all = new byte[body.Length + mac.Length];
        body.CopyTo(all, 0);
        mac.CopyTo(all, body.Length);
        return all;
    }

    private byte[] SerializeWithoutMac()
    {
        var sb = new StringBuilder(VersionLine.Length + 128 * Stanzas.Count);
        sb.Append(VersionLine).Append('\n');
        foreach (var stanza in Stanzas)
        {
            sb.Append("-> ").Append(stanza.Type);
            foreach (var arg in stanza.Arguments)
                sb.Append(' ').Append(arg);
            sb.Append('\n');
            var encoded = AgeBase64.Encode(stanza.Body);
            int pos = 0;
            while (encoded.Length - pos >= 64)
            {
                sb.Append(encoded, pos, 64).Append('\n');
                pos += 64;
            }
            sb.Append(encoded, pos, encoded.Length - pos).Append('\n');
        }
        sb.Append("---");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>HMAC-SHA-256 keyed with HKDF(fileKey, "", "header") over <paramref name="macInput"/>.</summary>
    public static byte[] ComputeMac(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> macInput)
    {
        Span<byte> key = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, key, [], "header"u8);
        var mac = HMACSHA256.HashData(key, macInput);
        CryptographicOperations.ZeroMemory(key);
        return mac;
    }

    /// <summary>Builds a header for the stanzas and computes its MAC with the file key.</summary>
    public static AgeHeader Create(IReadOnlyList<AgeStanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var unsigned = new AgeHeader(stanzas, new byte[MacSize]);
        return new AgeHeader(stanzas, ComputeMac(fileKey, unsigned.SerializeWithoutMac()));
    }
}
