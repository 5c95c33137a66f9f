using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keyward.Core;
using Org.BouncyCastle.Crypto.Parameters;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Keyward.Sealing;

/// <summary>
/// The controller's public certificate (<c>kubeseal --fetch-cert</c>, <c>GET /v1/cert.pem</c>). Like kubeseal's ParseKey
/// it takes the first CERTIFICATE block and requires an RSA key; it does not check the chain or the issuer.
/// </summary>
public sealed class SealingCertificate
{
    private SealingCertificate(string source, RsaKeyParameters publicKey, int keyBits, DateTimeOffset notBefore, DateTimeOffset notAfter, string subject, string fingerprint)
    {
        Source = source;
        PublicKey = publicKey;
        KeyBits = keyBits;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Subject = subject;
        Sha256Fingerprint = fingerprint;
    }

    /// <summary>Where the certificate came from, quoted for messages.</summary>
    public string Source { get; }

    public RsaKeyParameters PublicKey { get; }

    public int KeyBits { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    public string Subject { get; }

    /// <summary>SHA-256 of the DER certificate, lowercase hex.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>Parses PEM text. <paramref name="source"/> names the file in errors, e.g. <c>"cert.pem"</c> with quotes.</summary>
    public static SealingCertificate Parse(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var der = FirstCertificateBlock(pem, source);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new KeywardException($"{source}: the CERTIFICATE block is not a valid X.509 certificate", "fetch the certificate again (kubeseal --fetch-cert)", FailureKind.Usage, e);
        }
        using (certificate)
        {
            var (notBefore, notAfter) = Validity(certificate, source);
            using var rsa = RsaPublicKey(certificate, source);
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            RsaKeyParameters key;
            try
            {
                key = new RsaKeyParameters(false, new BigInteger(1, parameters.Modulus), new BigInteger(1, parameters.Exponent));
            }
            catch (ArgumentException e)
            {
                // BouncyCastle refuses an even modulus, one with a small factor, or an even exponent: a damaged certificate.
                throw new KeywardException($"{source}: the certificate's RSA public key is not valid (its modulus or exponent is damaged)",
                    "fetch the certificate again (kubeseal --fetch-cert)", FailureKind.Usage, e);
            }
            int modulusBytes = parameters.Modulus!.Length;
            if (modulusBytes < HybridCipher.MinimumModulusBytes)
                throw new KeywardException($"{source}: the certificate's RSA key has {rsa.KeySize} bits, too small for RSA-OAEP-SHA-256",
                    "the controller's keys are 2048 bits or more; check the certificate", FailureKind.Usage);
            return new SealingCertificate(source, key, rsa.KeySize, notBefore, notAfter, certificate.Subject,
                Convert.ToHexStringLower(SHA256.HashData(der)));
        }
    }

    /// <summary>What to do about a certificate that was changed or cut on its way to the file.</summary>
    private const string FetchAgainHint = "fetch the certificate again (kubeseal --fetch-cert > cert.pem); the file was changed or cut";

    /// <summary>
    /// The validity dates. The loader checks only the certificate's outer structure; on Linux OpenSSL decodes the
    /// dates when they are first asked for, and a UTCTime that is no time ("Not Before: Bad time value" in openssl)
    /// throws then, from a property.
    /// </summary>
    private static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Validity(X509Certificate2 certificate, string source)
    {
        try
        {
            return (new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }
        catch (CryptographicException e)
        {
            throw new KeywardException($"{source}: the certificate does not parse: its validity dates are not valid times", FetchAgainHint, FailureKind.Usage, e);
        }
    }

    /// <summary>The RSA public key; decoded, like the dates, only when asked for, so damage in it shows here.</summary>
    private static RSA RsaPublicKey(X509Certificate2 certificate, string source)
    {
        RSA? rsa;
        try
        {
            rsa = certificate.GetRSAPublicKey();
        }
        catch (CryptographicException e)
        {
            throw new KeywardException($"{source}: the certificate does not parse: its public key is damaged", FetchAgainHint, FailureKind.Usage, e);
        }
        return rsa ?? throw new KeywardException($"{source}: the certificate's key is {KeyAlgorithm(certificate)}, not RSA",
            "Sealed Secrets controllers use RSA keys; pass the controller's certificate", FailureKind.Usage);
    }

    /// <summary>Loads the certificate from a file, a file:// URL or an http(s) URL (<see cref="CertificateSource"/>).</summary>
    public static SealingCertificate Load(string location, TimeSpan? fetchTimeout = null, string? auth = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return Parse(CertificateSource.ReadText(location, fetchTimeout, auth), $"\"{CertificateSource.Display(location)}\"");
    }

    /// <summary>
    /// Null when the certificate is valid at <paramref name="time"/>'s now; otherwise what is wrong and since when.
    /// kubeseal refuses an expired certificate outright; keyward warns unless asked to be strict.
    /// </summary>
    public string? ValidityProblem(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        if (now > NotAfter)
            return $"certificate {Source} expired on {NotAfter:yyyy-MM-dd HH:mm:ss}Z ({(int)(now - NotAfter).TotalDays} days ago)";
        if (now < NotBefore)
            return $"certificate {Source} is not valid before {NotBefore:yyyy-MM-dd HH:mm:ss}Z";
        return null;
    }

    private static byte[] FirstCertificateBlock(string pem, string source)
    {
        var found = new List<string>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (label == "CERTIFICATE")
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out int written))
                    throw new KeywardException($"{source}: the CERTIFICATE block is not valid base64", "fetch the certificate again (kubeseal --fetch-cert > cert.pem); the file was changed or cut", FailureKind.Usage);
                return der[..written];
            }
            found.Add(label);
            rest = rest[fields.Location.End..];
        }
        if (found.Count == 0)
            throw new KeywardException($"{source}: no PEM block found; expected a CERTIFICATE",
                "pass the controller's PEM certificate (kubeseal --fetch-cert > cert.pem)", FailureKind.Usage);
        bool isPrivate = found.Any(l => l.Contains("PRIVATE", StringComparison.Ordinal));
        throw new KeywardException($"{source}: expected a CERTIFICATE PEM block, found {string.Join(", ", found)}",
            isPrivate
                ? "this is a private key: seal with the controller's certificate (kubeseal --fetch-cert), and keep the key out of Git"
                : "pass the controller's certificate (kubeseal --fetch-cert > cert.pem), not a bare key", FailureKind.Usage);
    }

    private static string KeyAlgorithm(X509Certificate2 certificate)
    {
        var oid = certificate.PublicKey.Oid;
        return oid.FriendlyName ?? oid.Value ?? "unknown";
    }
}
