using System.Globalization;
using System.Text;

namespace Keyward.Sops.Values;

/// <summary>
/// The number and time formats sops inherits from Go, reproduced exactly because they are the bytes that get
/// encrypted and MACed: <c>strconv.FormatFloat(f, 'f', -1, 64)</c>, the 'g' form go-yaml and encoding/json write,
/// and <c>time.RFC3339Nano</c>.
/// </summary>
public static class GoFormat
{
    /// <summary><c>strconv.FormatFloat(f, 'f', -1, 64)</c>: shortest round-trip digits, never an exponent.</summary>
    public static string FormatFloatF(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsPositiveInfinity(value))
            return "+Inf";
        if (double.IsNegativeInfinity(value))
            return "-Inf";
        var (negative, digits, point) = ShortestDigits(value);
        var sb = new StringBuilder();
        if (negative)
            sb.Append('-');
        if (point <= 0)
        {
            sb.Append("0.").Append('0', -point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            sb.Append(digits).Append('0', point - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>strconv.FormatFloat(f, 'g', -1, 64)</c> as go-yaml writes floats (exponent when it is below -4 or at least 21),
    /// with <c>.0</c> added when the result would read back as an integer: sops writes <c>100000</c> there and the type is lost.
    /// </summary>
    public static string FormatFloatYaml(double value)
    {
        if (double.IsNaN(value))
            return ".nan";
        if (double.IsPositiveInfinity(value))
            return ".inf";
        if (double.IsNegativeInfinity(value))
            return "-.inf";
        var g = FormatFloatG(value, 21);
        return g.Contains('.', StringComparison.Ordinal) || g.Contains('e', StringComparison.Ordinal) ? g : g + ".0";
    }

    /// <summary>Go <c>encoding/json</c> float output: 'f' form unless |f| &lt; 1e-6 or ≥ 1e21, then 'e' with a short exponent.</summary>
    public static string FormatFloatJson(double value)
    {
        var abs = Math.Abs(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
            return FormatFloatG(value, 0);
        return FormatFloatF(value);
    }

    /// <summary>Shortest digits with an exponent when the decimal exponent is below -4 or at least <paramref name="eprec"/> (0: always).</summary>
    private static string FormatFloatG(double value, int eprec)
    {
        var (negative, digits, point) = ShortestDigits(value);
        int exp = point - 1;
        if (eprec > 0 && exp >= -4 && exp < eprec)
            return FormatFloatF(value);
        var sb = new StringBuilder();
        if (negative)
            sb.Append('-');
        sb.Append(digits[0]);
        if (digits.Length > 1)
            sb.Append('.').Append(digits, 1, digits.Length - 1);
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        var e = Math.Abs(exp).ToString(CultureInfo.InvariantCulture);
        if (eprec > 0 && e.Length < 2)
            e = "0" + e;
        return sb.Append(e).ToString();
    }

    /// <summary>The shortest round-trip decimal digits of a finite double and the position of the decimal point.</summary>
    private static (bool Negative, string Digits, int Point) ShortestDigits(double value)
    {
        // "R" gives the shortest round-trip form; parse its mantissa and exponent.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        bool negative = r.StartsWith('-');
        if (negative)
            r = r[1..];
        int exponent = 0;
        int e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        int dot = r.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot >= 0 ? r[..dot] : r;
        string frac = dot >= 0 ? r[(dot + 1)..] : "";
        var digits = (intPart + frac).TrimStart('0');
        int leadingZeros = (intPart + frac).Length - digits.Length;
        int point = intPart.Length + exponent - leadingZeros;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
            return (negative, "0", 1);
        return (negative, digits, point);
    }

    /// <summary>Go <c>time.Time.MarshalText</c> (RFC 3339 with nanoseconds, trailing zeros dropped, <c>Z</c> for UTC).</summary>
    public static string FormatRfc3339Nano(DateTimeOffset time)
    {
        var sb = new StringBuilder(time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        long ticks = time.Ticks % TimeSpan.TicksPerSecond;
        if (ticks != 0)
            sb.Append('.').Append(ticks.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
        AppendOffset(sb, time.Offset);
        return sb.ToString();
    }

    /// <summary>Go <c>time.RFC3339</c>: seconds precision, as sops formats <c>lastmodified</c> for the MAC's AAD.</summary>
    public static string FormatRfc3339(DateTimeOffset time)
    {
        var sb = new StringBuilder(time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        AppendOffset(sb, time.Offset);
        return sb.ToString();
    }

    private static void AppendOffset(StringBuilder sb, TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            sb.Append('Z');
            return;
        }
        sb.Append(offset < TimeSpan.Zero ? '-' : '+');
        var abs = offset.Duration();
        sb.Append(abs.Hours.ToString("D2", CultureInfo.InvariantCulture)).Append(':').Append(abs.Minutes.ToString("D2", CultureInfo.InvariantCulture));
    }
}
