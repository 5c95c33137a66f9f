using System.Security.Cryptography;
using Keyward.Age;
using Keyward.Core;

namespace Keyward.Sops.Crypto;

/// <summary>
/// Shamir secret sharing over GF(2^8) with the AES polynomial 0x11B, as sops (HashiCorp Vault's implementation) uses for
/// several key groups. A share is the y bytes followed by its x coordinate; x runs 1..n.
/// </summary>
public static class Shamir
{
    public static List<byte[]> Split(ReadOnlySpan<byte> secret, int parts, int threshold, RandomSource? random = null)
    {
        if (threshold < 1 || parts < threshold || parts > 255)
            throw new KeywardException($"cannot split the data key into {parts} parts with threshold {threshold}", "shamir_threshold must be between 1 and the number of key groups");
        var rng = random.OrDefault();
        var shares = new List<byte[]>(parts);
        for (int i = 0; i < parts; i++)
        {
            shares.Add(new byte[secret.Length + 1]);
            shares[i][secret.Length] = (byte)(i + 1);
        }
        var coefficients = new byte[threshold];
        for (int b = 0; b < secret.Length; b++)
        {
            coefficients[0] = secret[b];
            rng(coefficients.AsSpan(1));
            for (int i = 0; i < parts; i++)
                shares[i][b] = Evaluate(coefficients, (byte)(i + 1));
        }
        CryptographicOperations.ZeroMemory(coefficients);
        return shares;
    }

    public static byte[] Combine(IReadOnlyList<byte[]> shares)
    {
        if (shares.Count == 0)
            throw new KeywardException("no key group could be decrypted", "set SOPS_AGE_KEY_FILE or pass --identity with the key of a recipient in enough key groups", FailureKind.Failed);
        int length = shares[0].Length - 1;
        if (shares.Any(s => s.Length != length + 1))
            throw new KeywardException("the key group shares have different lengths", "the file's key groups were damaged");
        var xs = shares.Select(s => s[length]).ToArray();
        if (xs.Distinct().Count() != xs.Length)
            throw new KeywardException("two key group shares have the same x coordinate", "the file's key groups were damaged");
        var secret = new byte[length];
        for (int b = 0; b < length; b++)
        {
            byte value = 0;
            for (int i = 0; i < shares.Count; i++)
            {
                byte basis = 1;
                for (int j = 0; j < shares.Count; j++)
                {
                    if (i != j)
                        basis = Mul(basis, Mul(xs[j], Inverse((byte)(xs[i] ^ xs[j]))));
                }
                value ^= Mul(shares[i][b], basis);
            }
            secret[b] = value;
        }
        return secret;
    }

    private static byte Evaluate(byte[] coefficients, byte x)
    {
        byte result = 0;
        for (int i = coefficients.Length - 1; i >= 0; i--)
            result = (byte)(Mul(result, x) ^ coefficients[i]);
        return result;
    }

    internal static byte Mul(byte a, byte b)
    {
        int acc = 0;
        for (int i = 7; i >= 0; i--)
        {
            acc = ((acc << 1) ^ ((acc & 0x80) != 0 ? 0x1B : 0)) & 0xFF;
            if (((b >> i) & 1) != 0)
                acc ^= a;
        }
        return (byte)acc;
    }

    private static byte Inverse(byte a)
    {
        byte result = 1;
        for (int i = 0; i < 254; i++)
            result = Mul(result, a);
        return result;
    }
}
