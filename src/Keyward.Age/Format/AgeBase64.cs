using System.Buffers;
using System.Buffers.Text;

namespace Keyward.Age.Format;

/// <summary>
/// The header's base64: standard alphabet, no padding, canonical (unused low bits zero). The BCL decoder is lenient
/// about whitespace and padding, so characters and length are validated here before it runs.
/// </summary>
public static class AgeBase64
{
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var s = Convert.ToBase64String(data);
        return s.TrimEnd('=');
    }

    public static int EncodedLength(int byteCount) => (byteCount * 8 + 5) / 6;

    /// <summary>Decodes strict unpadded base64; returns false on any deviation.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> ascii, out byte[] data)
    {
        data = [];
        if (ascii.Length % 4 == 1)
            return false;
        foreach (var c in ascii)
        {
            if (!IsAlphabet(c))
                return false;
        }

        int full = ascii.Length / 4 * 4;
        int rem = ascii.Length - full;
        Span<byte> padded = ascii.Length + 3 <= 256 ? stackalloc byte[ascii.Length + 3] : new byte[ascii.Length + 3];
        ascii.CopyTo(padded);
        int paddedLength = ascii.Length;
        if (rem != 0)
        {
            for (int i = rem; i < 4; i++)
                padded[paddedLength++] = (byte)'=';
        }

        var output = new byte[paddedLength / 4 * 3];
        var status = Base64.DecodeFromUtf8(padded[..paddedLength], output, out _, out int written);
        if (status != OperationStatus.Done)
            return false;
        data = output.AsSpan(0, written).ToArray();
        CryptoZero(output);

        // Canonical: re-encoding must give the same characters (rejects non-zero unused bits).
        Span<byte> check = paddedLength <= 256 ? stackalloc byte[paddedLength] : new byte[paddedLength];
        Base64.EncodeToUtf8(data, check, out _, out int encodedWritten);
        return check[..ascii.Length].SequenceEqual(ascii) && (encodedWritten - ascii.Length) == (4 - rem) % 4;
    }

    public static bool TryDecode(string text, out byte[] data) =>
        TryDecode(System.Text.Encoding.ASCII.GetBytes(text), out data);

    private static bool IsAlphabet(byte c) =>
        c is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/';

    private static void CryptoZero(byte[] buffer) => System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
}
