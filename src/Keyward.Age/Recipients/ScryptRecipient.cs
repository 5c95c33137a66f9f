using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Keyward.Age.Format;
using Org.BouncyCastle.Crypto.Generators;

namespace Keyward.Age.Recipients;

/// <summary>A passphrase recipient. Must be the only recipient of a file.</summary>
public sealed class ScryptRecipient : IAgeRecipient, IDisposable
{
    public const int DefaultWorkFactor = 18;
    private readonly byte[] _passphrase;
    private readonly int _workFactor;

    public ScryptRecipient(ReadOnlySpan<char> passphrase, int workFactor = DefaultWorkFactor)
    {
        if (passphrase.IsEmpty)
            throw new AgeKeyException("empty passphrase", "choose a passphrase, or let keyward generate one");
        ArgumentOutOfRangeException.ThrowIfLessThan(workFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workFactor, 30);
        // Encoded from the span itself: a char[] copy (passphrase.ToArray()) would stay on the heap, not zeroed.
        _passphrase = new byte[Encoding.UTF8.GetByteCount(passphrase)];
        Encoding.UTF8.GetBytes(passphrase, _passphrase);
        _workFactor = workFactor;
    }

    public string StanzaType => "scrypt";

    public bool MustBeAlone => true;

    public IReadOnlyList<AgeStanza> Wrap(ReadOnlySpan<byte> fileKey, RandomSource random)
    {
        var salt = new byte[16];
        random(salt);
        var wrapKey = ScryptKdf.Derive(_passphrase, salt, _workFactor);
        var body = WrapKey.Seal(wrapKey, fileKey);
        CryptographicOperations.ZeroMemory(wrapKey);
        return [new AgeStanza("scrypt", [AgeBase64.Encode(salt), _workFactor.ToString(CultureInfo.InvariantCulture)], body)];
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_passphrase);
}

internal static class ScryptKdf
{
    public static byte[] Derive(byte[] passphrase, byte[] salt, int logN)
    {
        var label = "age-encryption.org/v1/scrypt"u8;
        var fullSalt = new byte[label.Length + salt.Length];
        label.CopyTo(fullSalt);
        salt.CopyTo(fullSalt, label.Length);
        return SCrypt.Generate(passphrase, fullSalt, 1 << logN, 8, 1, 32);
    }
}
