using System.Security.Cryptography;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Keyward.Age.Recipients;

/// <summary>X25519 (RFC 7748) through BouncyCastle: the BCL has none. Scalars are clamped by the function.</summary>
internal static class Curve25519
{
    public const int KeySize = 32;

    public static byte[] ScalarBaseMult(ReadOnlySpan<byte> scalar)
    {
        var k = scalar.ToArray();
        var r = new byte[KeySize];
        BcX25519.ScalarMultBase(k, 0, r, 0);
        CryptographicOperations.ZeroMemory(k);
        return r;
    }

    /// <summary>Returns false when the result is all zeros (low-order or identity point): a hard error for age.</summary>
    public static bool TryScalarMult(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point, out byte[] shared)
    {
        var k = scalar.ToArray();
        var u = point.ToArray();
        shared = new byte[KeySize];
        BcX25519.ScalarMult(k, 0, u, 0, shared, 0);
        CryptographicOperations.ZeroMemory(k);
        return !IsAllZero(shared);
    }

    private static bool IsAllZero(ReadOnlySpan<byte> data)
    {
        int acc = 0;
        foreach (var b in data)
            acc |= b;
        return acc == 0;
    }
}
