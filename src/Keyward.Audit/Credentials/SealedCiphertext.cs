using System.Buffers.Binary;
using System.Buffers.Text;

namespace Keyward.Audit.Credentials;

/// <summary>
/// A value the Sealed Secrets controller (or <c>keyward seal</c>) encrypted: base64 of a 2-byte big-endian length, a
/// session key wrapped with RSA-OAEP to that many bytes (the size of an RSA modulus), then AES-GCM ciphertext and its
/// 16-byte tag. It is long, random and assigned to a key like <c>password</c>, which is all the generic pattern asks
/// of a credential; its shape says it is none.
/// </summary>
internal static class SealedCiphertext
{
    private const int TagLength = 16;

    /// <summary>Shortest encoding: a 1024-bit wrapped key and an empty value.</summary>
    private const int MinimumLength = (2 + 128 + TagLength + 2) / 3 * 4;

    public static bool Is(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < MinimumLength || !Base64.IsValid(value, out int length))
            return false;
        Span<byte> head = stackalloc byte[3];
        if (!Convert.TryFromBase64Chars(value.AsSpan(0, 4), head, out _))
            return false;
        int wrappedKey = BinaryPrimitives.ReadUInt16BigEndian(head);
        return wrappedKey is 128 or 256 or 384 or 512 && length >= 2 + wrappedKey + TagLength;
    }
}
