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
/// <see cref="AesGcmAnyIv"/> (AES-NI and PCLMULQDQ) where the CPU has them and BouncyCastle's GCM otherwise.
/// One instance per data key; not thread-safe.
/// </summary>
public sealed class SopsValueCipher : IDisposable
{
    public const int IvSize = 32;
    private const int TagSize = 16;
    private const int StackLimit = 1024;
    private readonly byte[] _key;
    private readonly RandomSource _random;
    private readonly AesGcmAnyIv? _fast;
    private GcmBlockCipher? _gcm;
    private bool _keyLoaded;
    private byte[]? _lastIv;

    public SopsValueCipher(ReadOnlySpan<byte> dataKey, RandomSource? random = null)
        : this(dataKey, random, AesGcmAnyIv.IsSupported)
    {
    }

    /// <summary>Chooses the implementation explicitly (tests compare both).</summary>
    internal SopsValueCipher(ReadOnlySpan<byte> dataKey, RandomSource? random, bool hardware)
    {
        if (dataKey.Length != 32)
            throw new KeywardException($"the data key is {dataKey.Length} bytes; sops data keys are 32 bytes", "the key was damaged or is not a sops data key");
        _key = dataKey.ToArray();
        _random = random ?? BufferedSystemRandom;
        _fast = hardware ? new AesGcmAnyIv(_key) : null;
    }

    [ThreadStatic]
    private static byte[]? t_ivPool;
    [ThreadStatic]
    private static int t_ivPoolUsed;

    /// <summary>
    /// The system CSPRNG read 4 KiB at a time (one call per value costs as much as the encryption); each byte handed
    /// out once and wiped from the pool as it is taken.
    /// </summary>
    private static void BufferedSystemRandom(Span<byte> destination)
    {
        var pool = t_ivPool ??= new byte[4096];
        if (destination.Length > pool.Length)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        if (t_ivPoolUsed == 0 || t_ivPoolUsed + destination.Length > pool.Length)
        {
            RandomNumberGenerator.Fill(pool);
            t_ivPoolUsed = 0;
        }
        var slice = pool.AsSpan(t_ivPoolUsed, destination.Length);
        slice.CopyTo(destination);
        slice.Clear();
        t_ivPoolUsed += destination.Length;
    }

    public string Encrypt(ReadOnlySpan<byte> plaintext, string type, string aad)
    {
        Span<byte> iv = stackalloc byte[IvSize];
        _random(iv);
        return EncryptWithIv(plaintext, type, aad, iv);
    }

    /// <summary>Encrypts with a given IV; only for reproducing a known ciphertext (tests) — a fresh IV is the rule.</summary>
    internal string EncryptWithIv(ReadOnlySpan<byte> plaintext, string type, string aad, ReadOnlySpan<byte> iv)
    {
        byte[]? rented = null;
        int total = plaintext.Length + TagSize + Utf8Length(aad);
        Span<byte> buffer = total <= StackLimit ? stackalloc byte[total] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(total));
        try
        {
            var output = buffer[..(plaintext.Length + TagSize)];
            var aadBytes = buffer.Slice(output.Length, total - output.Length);
            Encoding.UTF8.GetBytes(aad, aadBytes);
            if (_fast is not null)
                _fast.Encrypt(iv, aadBytes, plaintext, output[..plaintext.Length], output[plaintext.Length..]);
            else
                BouncyCastleSeal(iv, aadBytes, plaintext, output);
            return Format(output[..plaintext.Length], iv, output[plaintext.Length..], type);
        }
        finally
        {
            buffer.Clear();
            if (rented is not null)
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Utf8Length(string s) => Encoding.UTF8.GetByteCount(s);

    /// <summary>ENC[AES256_GCM,data:D,iv:I,tag:T,type:Y] built in one allocation.</summary>
    private static string Format(ReadOnlySpan<byte> data, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> tag, string type)
    {
        const string Prefix = "ENC[AES256_GCM,data:";
        int dl = B64Len(data.Length), il = B64Len(iv.Length), tl = B64Len(tag.Length);
        int length = Prefix.Length + dl + ",iv:".Length + il + ",tag:".Length + tl + ",type:".Length + type.Length + 1;
        char[]? rented = null;
        Span<char> chars = length <= StackLimit ? stackalloc char[length] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        int at = 0;
        Put(chars, ref at, Prefix);
        Convert.TryToBase64Chars(data, chars[at..], out int w);
        at += w;
        Put(chars, ref at, ",iv:");
        Convert.TryToBase64Chars(iv, chars[at..], out w);
        at += w;
        Put(chars, ref at, ",tag:");
        Convert.TryToBase64Chars(tag, chars[at..], out w);
        at += w;
        Put(chars, ref at, ",type:");
        Put(chars, ref at, type);
        chars[at++] = ']';
        var result = new string(chars[..at]);
        if (rented is not null)
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        return result;
    }

    private static int B64Len(int n) => (n + 2) / 3 * 4;

    private static void Put(Span<char> chars, ref int at, string s)
    {
        s.CopyTo(chars[at..]);
        at += s.Length;
    }

    /// <summary>Decrypts one value; <paramref name="where"/> names it in errors (key path, never the value).</summary>
    public DecryptedValue Decrypt(string value, string aad, string where) => Decrypt(value, aad, () => where);

    /// <summary>Decrypts one value; <paramref name="where"/> is only called to build an error message.</summary>
    public DecryptedValue Decrypt(string value, string aad, Func<string> where)
    {
        var fields = EncryptedValue.Fields(value, where);
        int maxData = fields.Data.Length * 3 / 4 + 3;
        // Room for the iv the field holds, not the 32 bytes sops writes: a damaged file can hold a longer one.
        int maxIv = fields.Iv.Length * 3 / 4 + 3;
        int aadLength = Utf8Length(aad);
        int total = maxData + maxIv + 24 + aadLength;
        byte[]? rented = null;
        Span<byte> buffer = total <= StackLimit ? stackalloc byte[total] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(total));
        try
        {
            var data = EncryptedValue.Base64(fields.Data, buffer[..maxData], "data", where);
            var rest = buffer[maxData..];
            var iv = EncryptedValue.Base64(fields.Iv, rest[..maxIv], "iv", where);
            rest = rest[maxIv..];
            var tag = EncryptedValue.Base64(fields.Tag, rest[..24], "tag", where);
            rest = rest[24..];
            if (iv.Length == 0)
                throw EncryptedValue.Damaged(where(), "the iv is empty");
            if (tag.Length != TagSize)
                throw EncryptedValue.Damaged(where(), $"the tag is {tag.Length} bytes instead of 16");
            var aadBytes = rest[..aadLength];
            Encoding.UTF8.GetBytes(aad, aadBytes);
            var output = new byte[data.Length];
            bool ok = _fast is not null ? _fast.Decrypt(iv, aadBytes, data, tag, output) : BouncyCastleOpen(iv, aadBytes, data, tag, output);
            if (!ok)
                throw new KeywardException($"{where()}: the encrypted value does not authenticate (message authentication failed)",
                    "the value, its key name or its place in the file was changed, or the file was encrypted with another data key", FailureKind.Failed);
            return new DecryptedValue(output, fields.Type);
        }
        finally
        {
            buffer.Clear();
            if (rented is not null)
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void BouncyCastleSeal(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        var gcm = Init(forEncryption: true, iv.ToArray(), aad.ToArray());
        var input = plaintext.ToArray();
        var result = new byte[output.Length];
        int n = gcm.ProcessBytes(input, 0, input.Length, result, 0);
        gcm.DoFinal(result, n);
        result.CopyTo(output);
        CryptographicOperations.ZeroMemory(input);
        CryptographicOperations.ZeroMemory(result);
    }

    private bool BouncyCastleOpen(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag, Span<byte> output)
    {
        var gcm = Init(forEncryption: false, iv.ToArray(), aad.ToArray());
        var input = new byte[data.Length + tag.Length];
        data.CopyTo(input);
        tag.CopyTo(input.AsSpan(data.Length));
        var result = new byte[data.Length];
        try
        {
            int n = gcm.ProcessBytes(input, 0, input.Length, result, 0);
            gcm.DoFinal(result, n);
            result.CopyTo(output);
            return true;
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(result);
        }
    }

    private GcmBlockCipher Init(bool forEncryption, byte[] iv, byte[] aad)
    {
        // Passing the key only once keeps BouncyCastle from rebuilding its GHASH tables for every value.
        // BouncyCastle refuses to encrypt under the IV it used last (a guard against nonce reuse); reproducing a
        // stored ciphertext legitimately does that, so start a fresh instance then.
        if (_gcm is null || forEncryption && _lastIv is not null && iv.AsSpan().SequenceEqual(_lastIv))
        {
            _gcm = new GcmBlockCipher(new AesEngine());
            _keyLoaded = false;
        }
        var key = _keyLoaded ? null : new KeyParameter(_key);
        _gcm.Init(forEncryption, new AeadParameters(key, TagSize * 8, iv, aad));
        _keyLoaded = true;
        _lastIv = iv;
        return _gcm;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        _fast?.Dispose();
        _gcm?.Reset();
    }
}

/// <summary>The parts of an <c>ENC[AES256_GCM,data:D,iv:I,tag:T,type:Y]</c> value.</summary>
public sealed record EncryptedValue(byte[] Data, byte[] Iv, byte[] Tag, string Type)
{
    private static readonly string[] KnownTypes = ["str", "int", "float", "bool", "bytes", "time", "comment"];
    private const string Prefix = "ENC[AES256_GCM,";

    public static bool LooksEncrypted(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Parses as sops's regex does (<c>^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]</c>), strictly base64.</summary>
    public static EncryptedValue Parse(string value, string where)
    {
        var f = Fields(value, () => where);
        var iv = Base64(f.Iv, new byte[f.Iv.Length * 3 / 4 + 3], "iv", () => where).ToArray();
        var tag = Base64(f.Tag, new byte[f.Tag.Length * 3 / 4 + 3], "tag", () => where).ToArray();
        if (iv.Length == 0)
            throw Damaged(where, "the iv is empty");
        if (tag.Length != 16)
            throw Damaged(where, $"the tag is {tag.Length} bytes instead of 16");
        return new EncryptedValue(Base64(f.Data, new byte[f.Data.Length * 3 / 4 + 3], "data", () => where).ToArray(), iv, tag, f.Type);
    }

    internal readonly ref struct Parts(ReadOnlySpan<char> data, ReadOnlySpan<char> iv, ReadOnlySpan<char> tag, string type)
    {
        public ReadOnlySpan<char> Data { get; } = data;

        public ReadOnlySpan<char> Iv { get; } = iv;

        public ReadOnlySpan<char> Tag { get; } = tag;

        public string Type { get; } = type;
    }

    /// <summary>The four fields as spans of the value, without copying.</summary>
    internal static Parts Fields(string value, Func<string> where)
    {
        if (!LooksEncrypted(value) || !value.EndsWith(']'))
            throw Damaged(where(), "it is not an ENC[AES256_GCM,...] value");
        var body = value.AsSpan(Prefix.Length, value.Length - Prefix.Length - 1);
        ReadOnlySpan<char> data = default, iv = default, tag = default;
        string? type = null;
        bool hasData = false, hasIv = false, hasTag = false;
        foreach (var range in body.Split(','))
        {
            var part = body[range];
            int colon = part.IndexOf(':');
            if (colon < 0)
                throw Damaged(where(), "a field has no name");
            var name = part[..colon];
            var content = part[(colon + 1)..];
            if (name.SequenceEqual("data"))
            {
                data = content;
                hasData = true;
            }
            else if (name.SequenceEqual("iv"))
            {
                iv = content;
                hasIv = true;
            }
            else if (name.SequenceEqual("tag"))
            {
                tag = content;
                hasTag = true;
            }
            else if (name.SequenceEqual("type")) type = KnownType(content) ?? throw Damaged(where(), $"unknown value type \"{content}\"");
            else throw Damaged(where(), $"unknown field \"{name}\"");
        }
        if (!hasData || !hasIv || !hasTag || type is null)
            throw Damaged(where(), "a field is missing (data, iv, tag and type are needed)");
        return new Parts(data, iv, tag, type);
    }

    private static string? KnownType(ReadOnlySpan<char> name)
    {
        foreach (var t in KnownTypes)
        {
            if (name.SequenceEqual(t))
                return t;
        }
        return null;
    }

    internal static Span<byte> Base64(ReadOnlySpan<char> text, Span<byte> buffer, string field, Func<string> where)
    {
        if (text.Length % 4 != 0 || !Convert.TryFromBase64Chars(text, buffer, out int written))
            throw Damaged(where(), $"the {field} field is not valid base64");
        return buffer[..written];
    }

    internal static KeywardException Damaged(string where, string why) =>
        new($"{where}: damaged encrypted value: {why}", "restore the value from version control, or set it again", FailureKind.Failed);
}
