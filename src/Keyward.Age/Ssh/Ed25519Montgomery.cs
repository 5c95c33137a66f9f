using System.Numerics;

namespace Keyward.Age.Ssh;

/// <summary>
/// Converts an Ed25519 public key to its X25519 (Montgomery) form, u = (1 + y) / (1 - y) mod p,
/// after checking that the encoding is a point on the curve, as age's ssh-ed25519 recipient does.
/// </summary>
internal static class Ed25519Montgomery
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger D = Mod(-121665 * ModInverse(121666));

    public static byte[] ToMontgomery(ReadOnlySpan<byte> edwardsPublicKey)
    {
        if (edwardsPublicKey.Length != 32)
            throw new FormatException("an Ed25519 public key is 32 bytes");
        var yBytes = edwardsPublicKey.ToArray();
        yBytes[31] &= 0x7f;
        var y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false);
        if (y >= P)
            throw new FormatException("invalid Ed25519 public key: non-canonical y");

        // x^2 = (y^2 - 1) / (d y^2 + 1) must be a square for the point to be on the curve.
        var y2 = Mod(y * y);
        var x2 = Mod((y2 - 1) * ModInverse(Mod(D * y2 + 1)));
        if (!x2.IsZero && BigInteger.ModPow(x2, (P - 1) / 2, P) != BigInteger.One)
            throw new FormatException("invalid Ed25519 public key: not a point on the curve");
        if (x2.IsZero && (edwardsPublicKey[31] & 0x80) != 0)
            throw new FormatException("invalid Ed25519 public key: non-canonical sign");
        if (y == BigInteger.One)
            throw new FormatException("invalid Ed25519 public key: the identity point");

        var u = Mod((1 + y) * ModInverse(Mod(1 - y)));
        var result = new byte[32];
        u.TryWriteBytes(result, out _, isUnsigned: true, isBigEndian: false);
        return result;
    }

    private static BigInteger Mod(BigInteger v)
    {
        var r = BigInteger.Remainder(v, P);
        return r.Sign < 0 ? r + P : r;
    }

    private static BigInteger ModInverse(BigInteger v) => BigInteger.ModPow(Mod(v), P - 2, P);
}
