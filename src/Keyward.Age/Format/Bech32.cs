using System.Text;

namespace Keyward.Age.Format;

/// <summary>
/// Bech32 (BIP-173) as age uses it: no 90-character limit, one case throughout, checksum on the lower-case form.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    public static string Encode(string hrp, ReadOnlySpan<byte> data, bool upperCase = false)
    {
        var lowerHrp = hrp.ToLowerInvariant();
        var values = ConvertBits(data, 8, 5, pad: true)!;
        var checksum = CreateChecksum(lowerHrp, values);
        var sb = new StringBuilder(lowerHrp.Length + 1 + values.Length + 6);
        sb.Append(lowerHrp).Append('1');
        foreach (var v in values)
            sb.Append(Charset[v]);
        foreach (var v in checksum)
            sb.Append(Charset[v]);
        var s = sb.ToString();
        return upperCase ? s.ToUpperInvariant() : s;
    }

    /// <summary>Decodes a Bech32 string. Returns false if it is malformed; the HRP is returned as written.</summary>
    public static bool TryDecode(string text, out string hrp, out byte[] data)
    {
        hrp = "";
        data = [];
        bool hasLower = false, hasUpper = false;
        foreach (var c in text)
        {
            if (c is < (char)33 or > (char)126)
                return false;
            hasLower |= char.IsAsciiLetterLower(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
        }
        if (hasLower && hasUpper)
            return false;

        int sep = text.LastIndexOf('1');
        if (sep < 1 || sep + 7 > text.Length)
            return false;
        var lower = text.ToLowerInvariant();
        var values = new byte[lower.Length - sep - 1];
        for (int i = 0; i < values.Length; i++)
        {
            int idx = Charset.IndexOf(lower[sep + 1 + i], StringComparison.Ordinal);
            if (idx < 0)
                return false;
            values[i] = (byte)idx;
        }
        if (Polymod(ExpandHrp(lower[..sep]), values) != 1)
            return false;
        var decoded = ConvertBits(values.AsSpan(0, values.Length - 6), 5, 8, pad: false);
        if (decoded is null)
            return false;
        hrp = text[..sep];
        data = decoded;
        return true;
    }

    private static byte[] CreateChecksum(string hrp, byte[] values)
    {
        var withZeros = new byte[values.Length + 6];
        values.CopyTo(withZeros, 0);
        uint mod = Polymod(ExpandHrp(hrp), withZeros) ^ 1;
        var result = new byte[6];
        for (int i = 0; i < 6; i++)
            result[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        return result;
    }

    private static byte[] ExpandHrp(string hrp)
    {
        var result = new byte[hrp.Length * 2 + 1];
        for (int i = 0; i < hrp.Length; i++)
        {
            result[i] = (byte)(hrp[i] >> 5);
            result[i + hrp.Length + 1] = (byte)(hrp[i] & 31);
        }
        return result;
    }

    private static uint Polymod(byte[] hrpExpanded, ReadOnlySpan<byte> values)
    {
        ReadOnlySpan<uint> gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        void Step(byte v, ref uint c, ReadOnlySpan<uint> g)
        {
            uint top = c >> 25;
            c = ((c & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                    c ^= g[i];
            }
        }
        foreach (var v in hrpExpanded)
            Step(v, ref chk, gen);
        foreach (var v in values)
            Step(v, ref chk, gen);
        return chk;
    }

    private static byte[]? ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        int acc = 0, bits = 0;
        int maxv = (1 << toBits) - 1;
        var result = new List<byte>(data.Length * fromBits / toBits + 1);
        foreach (var value in data)
        {
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxv));
            }
            acc &= (1 << bits) - 1;
        }
        if (pad)
        {
            if (bits > 0)
                result.Add((byte)((acc << (toBits - bits)) & maxv));
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0)
        {
            return null;
        }
        return [.. result];
    }
}
