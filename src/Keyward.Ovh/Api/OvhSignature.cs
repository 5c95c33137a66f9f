using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keyward.Ovh.Api;

/// <summary>
/// The request signature of the OVHcloud API:
/// <c>"$1$" + hex(SHA1(AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TIMESTAMP))</c>, lowercase hex,
/// URL the full target with its query, BODY the exact bytes sent. Hashed incrementally so the secret is never
/// concatenated into a string.
/// </summary>
public static class OvhSignature
{
    public const string Prefix = "$1$";

    public static string Compute(ReadOnlySpan<byte> applicationSecret, ReadOnlySpan<byte> consumerKey, string method, string target,
        ReadOnlySpan<byte> body, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(target);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        ReadOnlySpan<byte> plus = "+"u8;
        hash.AppendData(applicationSecret);
        hash.AppendData(plus);
        hash.AppendData(consumerKey);
        hash.AppendData(plus);
        hash.AppendData(Encoding.UTF8.GetBytes(method));
        hash.AppendData(plus);
        hash.AppendData(Encoding.UTF8.GetBytes(target));
        hash.AppendData(plus);
        hash.AppendData(body);
        hash.AppendData(plus);
        hash.AppendData(Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture)));
        Span<byte> digest = stackalloc byte[20];
        hash.GetHashAndReset(digest);
        return Prefix + Convert.ToHexStringLower(digest);
    }

    /// <summary>Convenience form over strings (test vectors, tools); production code passes the secret as bytes.</summary>
    public static string Compute(string applicationSecret, string consumerKey, string method, string target, string body, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(applicationSecret);
        ArgumentNullException.ThrowIfNull(consumerKey);
        ArgumentNullException.ThrowIfNull(body);
        var secret = Encoding.UTF8.GetBytes(applicationSecret);
        try
        {
            return Compute(secret, Encoding.UTF8.GetBytes(consumerKey), method, target, Encoding.UTF8.GetBytes(body), timestamp);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
