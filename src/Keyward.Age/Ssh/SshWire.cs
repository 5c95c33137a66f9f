using System.Buffers.Binary;
using System.Numerics;

namespace Keyward.Age.Ssh;

/// <summary>Reads the SSH wire encoding (RFC 4251 §5): uint32, length-prefixed strings and mpints.</summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool IsEmpty => _rest.IsEmpty;

    public readonly ReadOnlySpan<byte> Rest => _rest;

    public uint ReadUInt32()
    {
        if (_rest.Length < 4)
            throw new FormatException("truncated SSH key data");
        uint v = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return v;
    }

    public ReadOnlySpan<byte> ReadString()
    {
        uint length = ReadUInt32();
        if (length > (uint)_rest.Length)
            throw new FormatException("truncated SSH key data");
        var s = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return s;
    }

    public string ReadAsciiString() => System.Text.Encoding.ASCII.GetString(ReadString());

    /// <summary>An mpint as an unsigned big-endian integer (keys are positive).</summary>
    public BigInteger ReadMpint()
    {
        var bytes = ReadString();
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }
}

internal static class SshWire
{
    public static byte[] String(params ReadOnlySpan<byte[]> parts)
    {
        int length = 0;
        foreach (var p in parts)
            length += 4 + p.Length;
        var result = new byte[length];
        int pos = 0;
        foreach (var p in parts)
        {
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(pos), (uint)p.Length);
            p.CopyTo(result, pos + 4);
            pos += 4 + p.Length;
        }
        return result;
    }

    /// <summary>The mpint encoding of a positive integer: minimal big-endian with a leading zero if the top bit is set.</summary>
    public static byte[] Mpint(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);
}
