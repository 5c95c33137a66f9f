using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using NumericsInteger = System.Numerics.BigInteger;

namespace Keyward.Sealing;

/// <summary>
/// The raw RSA public operation (m^e mod n) on System.Numerics, under BouncyCastle's OaepEncoding. BouncyCastle's
/// portable BigInteger takes about 4x longer for a 2048-bit modulus; the OAEP encoding itself stays BouncyCastle's.
/// Public keys only: there is nothing secret here to keep constant-time.
/// </summary>
internal sealed class NumericsRsaPublicEngine : IAsymmetricBlockCipher
{
    private NumericsInteger modulus;
    private NumericsInteger exponent;
    private int modulusBytes;
    private int modulusBits;

    public string AlgorithmName => "RSA";

    public void Init(bool forEncryption, ICipherParameters parameters)
    {
        if (!forEncryption)
            throw new InvalidOperationException("this engine only encrypts");
        if (parameters is ParametersWithRandom withRandom)
            parameters = withRandom.Parameters;
        if (parameters is not RsaKeyParameters { IsPrivate: false } key)
            throw new ArgumentException("an RSA public key is required", nameof(parameters));
        modulus = new NumericsInteger(key.Modulus.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        exponent = new NumericsInteger(key.Exponent.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        modulusBits = key.Modulus.BitLength;
        modulusBytes = (modulusBits + 7) / 8;
    }

    /// <summary>As BouncyCastle's RsaEngine when encrypting: inputs shorter than the modulus.</summary>
    public int GetInputBlockSize() => (modulusBits - 1) / 8;

    public int GetOutputBlockSize() => modulusBytes;

    public byte[] ProcessBlock(byte[] inBuf, int inOff, int inLen)
    {
        ArgumentNullException.ThrowIfNull(inBuf);
        if (inLen > GetInputBlockSize() + 1)
            throw new DataLengthException("input too large for RSA cipher");
        var input = new NumericsInteger(inBuf.AsSpan(inOff, inLen), isUnsigned: true, isBigEndian: true);
        if (input >= modulus)
            throw new DataLengthException("input too large for RSA cipher");
        var result = NumericsInteger.ModPow(input, exponent, modulus);
        var output = new byte[modulusBytes];
        int length = result.GetByteCount(isUnsigned: true);
        if (!result.TryWriteBytes(output.AsSpan(modulusBytes - length), out _, isUnsigned: true, isBigEndian: true))
            throw new InvalidOperationException("RSA result larger than the modulus");
        return output;
    }
}
