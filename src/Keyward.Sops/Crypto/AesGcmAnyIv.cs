using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Keyward.Sops.Crypto;

/// <summary>
/// AES-256-GCM (NIST SP 800-38D) for IVs of any length, on the CPU's AES and carry-less multiply instructions.
/// .NET's AesGcm takes 12-byte nonces only and sops uses 32-byte IVs; BouncyCastle's managed GCM costs several
/// microseconds per value. The key schedule and H are computed once per data key. Tags are compared in constant time.
/// Only usable when <see cref="IsSupported"/>; <see cref="SopsValueCipher"/> falls back to BouncyCastle otherwise.
/// Not thread-safe (no shared mutable state though: one instance per thread is fine).
/// </summary>
internal sealed class AesGcmAnyIv : IDisposable
{
    public const int TagSize = 16;
    private static readonly Vector128<byte> ByteSwap = Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    private readonly Vector128<byte>[] _roundKeys = new Vector128<byte>[15];
    private Vector128<ulong> _h; // E(K, 0^128), byte-reflected for the multiply

    public static bool IsSupported => X86Aes.IsSupported && Pclmulqdq.IsSupported && Ssse3.IsSupported;

    public AesGcmAnyIv(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
            throw new ArgumentException("AES-256 needs a 32-byte key", nameof(key));
        if (!IsSupported)
            throw new PlatformNotSupportedException("AES-NI and PCLMULQDQ are needed");
        ExpandKey(key);
        _h = Reflect(EncryptBlock(Vector128<byte>.Zero));
    }

    public void Encrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        if (ciphertext.Length != plaintext.Length || tag.Length != TagSize)
            throw new ArgumentException("ciphertext must be as long as the plaintext and the tag 16 bytes");
        var j0 = CounterBlock(iv);
        Ctr(j0, plaintext, ciphertext);
        var s = Ghash(aad, ciphertext);
        (EncryptBlock(j0) ^ s).CopyTo(tag);
    }

    /// <summary>Decrypts when the tag verifies (constant-time compare); false and a cleared output otherwise.</summary>
    public bool Decrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        if (ciphertext.Length != plaintext.Length || tag.Length != TagSize)
            throw new ArgumentException("plaintext must be as long as the ciphertext and the tag 16 bytes");
        var j0 = CounterBlock(iv);
        var s = Ghash(aad, ciphertext);
        Span<byte> expected = stackalloc byte[TagSize];
        (EncryptBlock(j0) ^ s).CopyTo(expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag))
        {
            plaintext.Clear();
            return false;
        }
        Ctr(j0, ciphertext, plaintext);
        return true;
    }

    /// <summary>J0: IV || 0^31 || 1 for 12-byte IVs, GHASH(IV padded || 0^64 || [len(IV)]64) otherwise.</summary>
    private Vector128<byte> CounterBlock(ReadOnlySpan<byte> iv)
    {
        if (iv.Length == 0)
            throw new ArgumentException("the IV must not be empty", nameof(iv));
        Span<byte> block = stackalloc byte[16];
        if (iv.Length == 12)
        {
            iv.CopyTo(block);
            block[15] = 1;
            return Vector128.Create<byte>(block);
        }
        var x = Vector128<ulong>.Zero;
        x = GhashBlocks(x, iv);
        block.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(block[8..], (ulong)iv.Length * 8);
        x = GfMul(x ^ Reflect(Vector128.Create<byte>(block)), _h);
        return Unreflect(x);
    }

    private Vector128<byte> Ghash(ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
    {
        var x = Vector128<ulong>.Zero;
        x = GhashBlocks(x, aad);
        x = GhashBlocks(x, ciphertext);
        Span<byte> lengths = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(lengths, (ulong)aad.Length * 8);
        BinaryPrimitives.WriteUInt64BigEndian(lengths[8..], (ulong)ciphertext.Length * 8);
        x = GfMul(x ^ Reflect(Vector128.Create<byte>(lengths)), _h);
        return Unreflect(x);
    }

    /// <summary>Absorbs data in 16-byte blocks, the last one zero-padded.</summary>
    private Vector128<ulong> GhashBlocks(Vector128<ulong> x, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 16)
        {
            x = GfMul(x ^ Reflect(Vector128.Create<byte>(data)), _h);
            data = data[16..];
        }
        if (data.Length > 0)
        {
            Span<byte> last = stackalloc byte[16];
            last.Clear();
            data.CopyTo(last);
            x = GfMul(x ^ Reflect(Vector128.Create<byte>(last)), _h);
        }
        return x;
    }

    /// <summary>CTR mode from inc32(J0): the low 32 bits of the counter wrap, as GCM specifies.</summary>
    private void Ctr(Vector128<byte> j0, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> counter = stackalloc byte[16];
        j0.CopyTo(counter);
        uint n = BinaryPrimitives.ReadUInt32BigEndian(counter[12..]);
        Span<byte> stream = stackalloc byte[16];
        while (input.Length > 0)
        {
            n = unchecked(n + 1);
            BinaryPrimitives.WriteUInt32BigEndian(counter[12..], n);
            var ks = EncryptBlock(Vector128.Create<byte>(counter));
            int take = Math.Min(16, input.Length);
            if (take == 16)
            {
                (Vector128.Create<byte>(input) ^ ks).CopyTo(output);
            }
            else
            {
                ks.CopyTo(stream);
                for (int i = 0; i < take; i++)
                    output[i] = (byte)(input[i] ^ stream[i]);
            }
            input = input[take..];
            output = output[take..];
        }
        stream.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        var k = _roundKeys;
        block ^= k[0];
        for (int i = 1; i < 14; i++)
            block = X86Aes.Encrypt(block, k[i]);
        return X86Aes.EncryptLast(block, k[14]);
    }

    private void ExpandKey(ReadOnlySpan<byte> key)
    {
        var t1 = Vector128.Create<byte>(key);
        var t3 = Vector128.Create<byte>(key[16..]);
        _roundKeys[0] = t1;
        _roundKeys[1] = t3;
        int r = 2;
        // KeygenAssist takes its round constant as an immediate, hence one call per constant.
        Step(ref t1, ref t3, X86Aes.KeygenAssist(t3, 0x01), ref r);
        Step(ref t1, ref t3, X86Aes.KeygenAssist(t3, 0x02), ref r);
        Step(ref t1, ref t3, X86Aes.KeygenAssist(t3, 0x04), ref r);
        Step(ref t1, ref t3, X86Aes.KeygenAssist(t3, 0x08), ref r);
        Step(ref t1, ref t3, X86Aes.KeygenAssist(t3, 0x10), ref r);
        Step(ref t1, ref t3, X86Aes.KeygenAssist(t3, 0x20), ref r);
        _roundKeys[r] = ExpandEven(t1, X86Aes.KeygenAssist(t3, 0x40));
    }

    private void Step(ref Vector128<byte> t1, ref Vector128<byte> t3, Vector128<byte> assist, ref int r)
    {
        t1 = ExpandEven(t1, assist);
        _roundKeys[r++] = t1;
        t3 = ExpandOdd(t3, X86Aes.KeygenAssist(t1, 0));
        _roundKeys[r++] = t3;
    }

    private static Vector128<byte> ExpandEven(Vector128<byte> t1, Vector128<byte> assist)
    {
        var t2 = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        return PrefixXor(t1) ^ t2;
    }

    private static Vector128<byte> ExpandOdd(Vector128<byte> t3, Vector128<byte> assist)
    {
        var t2 = Sse2.Shuffle(assist.AsUInt32(), 0xAA).AsByte();
        return PrefixXor(t3) ^ t2;
    }

    /// <summary>w0, w0^w1, w0^w1^w2, w0^w1^w2^w3 over the four words of a round key.</summary>
    private static Vector128<byte> PrefixXor(Vector128<byte> t)
    {
        var s = Sse2.ShiftLeftLogical128BitLane(t, 4);
        t ^= s;
        s = Sse2.ShiftLeftLogical128BitLane(s, 4);
        t ^= s;
        s = Sse2.ShiftLeftLogical128BitLane(s, 4);
        return t ^ s;
    }

    private static Vector128<ulong> Reflect(Vector128<byte> block) => Ssse3.Shuffle(block, ByteSwap).AsUInt64();

    private static Vector128<byte> Unreflect(Vector128<ulong> x) => Ssse3.Shuffle(x.AsByte(), ByteSwap);

    /// <summary>Multiplication in GF(2^128) on byte-reflected operands (Intel's carry-less multiplication white paper, algorithm 5).</summary>
    private static Vector128<ulong> GfMul(Vector128<ulong> a, Vector128<ulong> b)
    {
        var lo = Pclmulqdq.CarrylessMultiply(a, b, 0x00);
        var mid = Pclmulqdq.CarrylessMultiply(a, b, 0x10) ^ Pclmulqdq.CarrylessMultiply(a, b, 0x01);
        var hi = Pclmulqdq.CarrylessMultiply(a, b, 0x11);
        lo ^= Sse2.ShiftLeftLogical128BitLane(mid, 8);
        hi ^= Sse2.ShiftRightLogical128BitLane(mid, 8);

        // Shift the 256-bit product <hi:lo> left by one bit (the operands are reflected).
        var lo32 = lo.AsUInt32();
        var hi32 = hi.AsUInt32();
        var carryLo = Sse2.ShiftRightLogical(lo32, 31);
        var carryHi = Sse2.ShiftRightLogical(hi32, 31);
        lo32 = Sse2.ShiftLeftLogical(lo32, 1);
        hi32 = Sse2.ShiftLeftLogical(hi32, 1);
        var cross = Sse2.ShiftRightLogical128BitLane(carryLo, 12);
        carryHi = Sse2.ShiftLeftLogical128BitLane(carryHi, 4);
        carryLo = Sse2.ShiftLeftLogical128BitLane(carryLo, 4);
        lo32 |= carryLo;
        hi32 |= carryHi | cross;

        // Reduce modulo x^128 + x^7 + x^2 + x + 1.
        var a1 = Sse2.ShiftLeftLogical(lo32, 31) ^ Sse2.ShiftLeftLogical(lo32, 30) ^ Sse2.ShiftLeftLogical(lo32, 25);
        var a2 = Sse2.ShiftRightLogical128BitLane(a1, 4);
        a1 = Sse2.ShiftLeftLogical128BitLane(a1, 12);
        lo32 ^= a1;
        var b1 = Sse2.ShiftRightLogical(lo32, 1) ^ Sse2.ShiftRightLogical(lo32, 2) ^ Sse2.ShiftRightLogical(lo32, 7) ^ a2;
        lo32 ^= b1;
        return (hi32 ^ lo32).AsUInt64();
    }

    public void Dispose()
    {
        Array.Clear(_roundKeys);
        _h = Vector128<ulong>.Zero;
    }
}
