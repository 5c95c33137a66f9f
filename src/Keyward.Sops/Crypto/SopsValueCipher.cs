using System.Security.Cryptography;
using System.Text;
using Keyward.Age;
using Keyward.Core;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Keyward.Sops.Crypto;

/// <summary>A value decrypted from <c>ENC[...]</c>: its plaintext bytes and its sops type name.</summary>
public readonly record struct DecryptedValue(byte[] Plaintext, string Type);

/// <summary>
/// sops value encryption: AES-256-GCM with a 32-byte random IV and a 16-byte tag, the AAD being the key path, written
/// as <c>ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]</c>. .NET's AesGcm only takes 12-byte nonces, so this uses
/// BouncyCastle's GCM (GHASH-derived J0 for other IV lengths). One instance per data key; not thread-safe.
/// </summary>
public sealed class SopsValueCipher : IDisposable
{
    public const int IvSize = 32;
    private const int TagSize = 16;
    private readonly byte[] _key;
    private readonly RandomSource _random;
    private GcmBlockCipher _gcm = new(new AesEngine());
    private bool _keyLoaded;
    private byte[]? _lastIv;

    public SopsValueCipher(ReadOnlySpan<byte> dataKey, RandomSource? random = null)
    {
        if (dataKey.Length != 32)
            throw new KeywardException($"the data key is {dataKey.Length} bytes; sops data keys are 32 bytes", "the key was damaged or is not a sops data key");
        _key = dataKey.ToArray();
        _random = random.OrDefault();
    }

    public string Encrypt(ReadOnlySpan<byte> plaintext, string type, string aad)
    {
        var iv = new byte[IvSize];
        _random(iv);
        return EncryptWithIv(plaintext, type, aad, iv);
    }

    /// <summary>Encrypts with a given IV; only for reproducing a known ciphertext (tests) — a fresh IV is the rule.</summary>
    internal string EncryptWithIv(ReadOnlySpan<byte> plaintext, string type, string aad, byte[] iv)
    {
        Init(forEncryption: true, iv, aad);
        var output = new byte[plaintext.Length + TagSize];
        var input = plaintext.ToArray();
        int n = _gcm.ProcessBytes(input, 0, input.Length, output, 0);
        _gcm.DoFinal(output, n);
        CryptographicOperations.ZeroMemory(input);
        var sb = new StringBuilder(64 + output.Length * 4 / 3);
        sb.Append("ENC[AES256_GCM,data:").Append(Convert.ToBase64String(output, 0, plaintext.Length))
            .Append(",iv:").Append(Convert.ToBase64String(iv))
            .Append(",tag:").Append(Convert.ToBase64String(output, plaintext.Length, TagSize))
            .Append(",type:").Append(type).Append(']');
        return sb.ToString();
    }

    /// <summary>Decrypts one value; <paramref name="where"/> names it in errors (key path, never the value).</summary>
    public DecryptedValue Decrypt(string value, string aad, string where)
    {
        var parts = EncryptedValue.Parse(value, where);
        Init(forEncryption: false, parts.Iv, aad);
        var input = new byte[parts.Data.Length + parts.Tag.Length];
        parts.Data.CopyTo(input, 0);
        parts.Tag.CopyTo(input, parts.Data.Length);
        var output = new byte[parts.Data.Length];
        try
        {
            int n = _gcm.ProcessBytes(input, 0, input.Length, output, 0);
            _gcm.DoFinal(output, n);
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
        {
            CryptographicOperations.ZeroMemory(output);
            throw new KeywardException($"{where}: the encrypted value does not authenticate (message authentication failed)",
                "the value, its key name or its place in the file was changed, or the file was encrypted with another data key", FailureKind.Failed, e);
        }
        return new DecryptedValue(output, parts.Type);
    }

    private void Init(bool forEncryption, byte[] iv, string aad)
    {
        // Passing the key only once keeps BouncyCastle from rebuilding its GHASH tables for every value.
        // BouncyCastle refuses to encrypt under the IV it used last (a guard against nonce reuse); reproducing a
        // stored ciphertext legitimately does that, so start a fresh instance then.
        if (forEncryption && _lastIv is not null && iv.AsSpan().SequenceEqual(_lastIv))
        {
            _gcm = new GcmBlockCipher(new AesEngine());
            _keyLoaded = false;
        }
        var key = _keyLoaded ? null : new KeyParameter(_key);
        _gcm.Init(forEncryption, new AeadParameters(key, TagSize * 8, iv, Encoding.UTF8.GetBytes(aad)));
        _keyLoaded = true;
        _lastIv = iv;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        _gcm.Reset();
    }
}

/// <summary>The parts of an <c>ENC[AES256_GCM,data:D,iv:I,tag:T,type:Y]</c> value.</summary>
public sealed record EncryptedValue(byte[] Data, byte[] Iv, byte[] Tag, string Type)
{
    private static readonly string[] KnownTypes = ["str", "int", "float", "bool", "bytes", "time", "comment"];

    public static bool LooksEncrypted(string value) => value.StartsWith("ENC[AES256_GCM,", StringComparison.Ordinal);

    /// <summary>Parses as sops's regex does (<c>^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]</c>), strictly base64.</summary>
    public static EncryptedValue Parse(string value, string where)
    {
        if (!LooksEncrypted(value) || !value.EndsWith(']'))
            throw Damaged(where, "it is not an ENC[AES256_GCM,...] value");
        var body = value.AsSpan("ENC[AES256_GCM,".Length, value.Length - "ENC[AES256_GCM,".Length - 1);
        string? data = null, iv = null, tag = null, type = null;
        foreach (var range in body.Split(','))
        {
            var part = body[range];
            int colon = part.IndexOf(':');
            if (colon < 0)
                throw Damaged(where, "a field has no name");
            var name = part[..colon];
            var content = part[(colon + 1)..].ToString();
            if (name.SequenceEqual("data")) data = content;
            else if (name.SequenceEqual("iv")) iv = content;
            else if (name.SequenceEqual("tag")) tag = content;
            else if (name.SequenceEqual("type")) type = content;
            else throw Damaged(where, $"unknown field \"{name}\"");
        }
        if (data is null || iv is null || tag is null || type is null)
            throw Damaged(where, "a field is missing (data, iv, tag and type are needed)");
        if (!KnownTypes.Contains(type))
            throw Damaged(where, $"unknown value type \"{type}\"");
        var ivBytes = Base64(iv, "iv", where);
        var tagBytes = Base64(tag, "tag", where);
        if (ivBytes.Length == 0)
            throw Damaged(where, "the iv is empty");
        if (tagBytes.Length != 16)
            throw Damaged(where, $"the tag is {tagBytes.Length} bytes instead of 16");
        return new EncryptedValue(Base64(data, "data", where), ivBytes, tagBytes, type);
    }

    private static byte[] Base64(string text, string field, string where)
    {
        var buffer = new byte[text.Length * 3 / 4 + 3];
        if (text.Length % 4 != 0 || !Convert.TryFromBase64String(text, buffer, out int written))
            throw Damaged(where, $"the {field} field is not valid base64");
        return buffer[..written];
    }

    private static KeywardException Damaged(string where, string why) =>
        new($"{where}: damaged encrypted value: {why}", "restore the value from version control, or set it again", FailureKind.Failed);
}
