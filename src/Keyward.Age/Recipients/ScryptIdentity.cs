using System.Security.Cryptography;
using System.Text;
using Keyward.Age.Format;

namespace Keyward.Age.Recipients;

/// <summary>
/// A passphrase identity. The work factor is capped (22 by default, as age does) and checked before scrypt runs,
/// so a hostile file cannot make decryption take minutes.
/// </summary>
public sealed class ScryptIdentity : IAgeIdentity, IDisposable
{
    public const int DefaultMaxWorkFactor = 22;
    private readonly byte[] _passphrase;
    private readonly int _maxWorkFactor;

    public ScryptIdentity(ReadOnlySpan<char> passphrase, int maxWorkFactor = DefaultMaxWorkFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWorkFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWorkFactor, DefaultMaxWorkFactor);
        // Encoded from the span itself: a char[] copy (passphrase.ToArray()) would stay on the heap, not zeroed.
        _passphrase = new byte[Encoding.UTF8.GetByteCount(passphrase)];
        Encoding.UTF8.GetBytes(passphrase, _passphrase);
        _maxWorkFactor = maxWorkFactor;
    }

    public string StanzaType => "scrypt";

    public bool TryUnwrap(IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != "scrypt")
                continue;
            if (stanzas.Count != 1)
                throw new AgeHeaderException("an scrypt stanza must be the only one in the header");
            if (stanza.Arguments.Count != 2)
                throw new AgeHeaderException($"invalid scrypt stanza: {stanza.Arguments.Count} arguments, expected 2");
            if (!AgeBase64.TryDecode(stanza.Arguments[0], out var salt) || salt.Length != 16)
                throw new AgeHeaderException("invalid scrypt stanza: the salt is not 16 bytes of canonical base64");
            int logN = ParseWorkFactor(stanza.Arguments[1]);
            if (logN > _maxWorkFactor)
            {
                throw new AgeHeaderException($"scrypt work factor {logN} is above the limit of {_maxWorkFactor}",
                    "the file asks for a very expensive key derivation; if you trust it, it was not made by age or keyward defaults");
            }
            if (stanza.Body.Length != WrapKey.WrappedSize)
                throw new AgeHeaderException($"invalid scrypt stanza: the body is {stanza.Body.Length} bytes, expected {WrapKey.WrappedSize}");

            var wrapKey = ScryptKdf.Derive(_passphrase, salt, logN);
            bool ok = WrapKey.TryOpen(wrapKey, stanza.Body, fileKey);
            CryptographicOperations.ZeroMemory(wrapKey);
            if (ok)
                return true;
        }
        return false;
    }

    /// <summary>Decimal, <c>^[1-9][0-9]*$</c>, no overflow.</summary>
    private static int ParseWorkFactor(string text)
    {
        bool valid = text.Length is > 0 and <= 2 && text[0] is >= '1' and <= '9';
        for (int i = 1; valid && i < text.Length; i++)
            valid = char.IsAsciiDigit(text[i]);
        if (!valid)
            throw new AgeHeaderException($"invalid scrypt stanza: work factor \"{text}\" is not a decimal number from 1 to 99");
        return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_passphrase);
}
