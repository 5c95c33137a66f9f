namespace Keyward.Core;

/// <summary>
/// Lowercase hex, as <c>Convert.ToHexStringLower</c> gives it. No ReadyToRun image holds the framework's vectorized
/// encoder for this use, so the runtime compiles it in every process, which costs more than the few dozen characters
/// it encodes here (a fingerprint, a temporary file's name) take this way.
/// </summary>
public static class LowerHex
{
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        const string Digits = "0123456789abcdef";
        Span<char> chars = bytes.Length <= 128 ? stackalloc char[2 * bytes.Length] : new char[2 * bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digits[bytes[i] >> 4];
            chars[2 * i + 1] = Digits[bytes[i] & 0xF];
        }
        return new string(chars);
    }
}
