using System.Security.Cryptography;
using System.Text;
using Keyward.Core;

namespace Keyward.Ovh.Api;

/// <summary>
/// The three values of a legacy OVHcloud credential. The application secret and consumer key are held as bytes and
/// zeroed on dispose; <see cref="ToString"/> masks them, so a stray log line cannot leak them.
/// </summary>
public sealed class OvhCredentials : IDisposable
{
    private readonly byte[] applicationSecret;
    private readonly byte[] consumerKey;
    private bool disposed;

    public OvhCredentials(string applicationKey, string applicationSecret, string consumerKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationSecret);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerKey);
        ApplicationKey = applicationKey.Trim();
        this.applicationSecret = Encoding.UTF8.GetBytes(applicationSecret.Trim());
        this.consumerKey = Encoding.UTF8.GetBytes(consumerKey.Trim());
    }

    /// <summary>The application key identifies the application, not a secret: it goes in clear in X-Ovh-Application.</summary>
    public string ApplicationKey { get; }

    internal ReadOnlySpan<byte> ApplicationSecret => Live(applicationSecret);

    internal ReadOnlySpan<byte> ConsumerKeyBytes => Live(consumerKey);

    /// <summary>The consumer key for the X-Ovh-Consumer header (and for storage); never print it.</summary>
    public string RevealConsumerKey() => Encoding.UTF8.GetString(Live(consumerKey));

    /// <summary>The application secret for storage in an encrypted Secret; never print it.</summary>
    public string RevealApplicationSecret() => Encoding.UTF8.GetString(Live(applicationSecret));

    public override string ToString() =>
        $"application key {ApplicationKey}, application secret {SecretMask.Mask(new string('*', applicationSecret.Length))}, consumer key {SecretMask.Mask(Encoding.UTF8.GetString(consumerKey))}";

    public void Dispose()
    {
        if (disposed)
            return;
        CryptographicOperations.ZeroMemory(applicationSecret);
        CryptographicOperations.ZeroMemory(consumerKey);
        disposed = true;
    }

    private ReadOnlySpan<byte> Live(byte[] value)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return value;
    }
}
