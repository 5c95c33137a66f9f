using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Values;

/// <summary>
/// Resolves plain YAML scalars to sops value kinds as go-yaml v3 does (YAML 1.2 core schema plus timestamps), and
/// decides whether a string can be written plain without changing its type on the way back.
/// </summary>
public static partial class YamlScalars
{
    [GeneratedRegex(@"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|[-+]?0b[01_]+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d\d?(?::?\d\d)?))?)?$")]
    private static partial Regex TimestampPattern();

    /// <summary>A plain (unquoted, untagged) scalar as go-yaml v3 decodes it into an interface value.</summary>
    public static SopsScalar ResolvePlain(string text)
    {
        var scalar = Resolve(text);
        scalar.Style = ScalarStyle.Plain;
        scalar.Source = text;
        return scalar;
    }

    private static SopsScalar Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return new SopsScalar(ScalarKind.Null, "");
            case "true" or "True" or "TRUE":
                return new SopsScalar(ScalarKind.Bool, "True");
            case "false" or "False" or "FALSE":
                return new SopsScalar(ScalarKind.Bool, "False");
        }
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.'))
        {
            if (TryTimestamp(text, out var time))
                return new SopsScalar(ScalarKind.Time, time);
            if (IntPattern().IsMatch(text) && TryInteger(text.Replace("_", "", StringComparison.Ordinal), out var big))
            {
                if (big >= long.MinValue && big <= long.MaxValue)
                    return new SopsScalar(ScalarKind.Int, big.ToString(CultureInfo.InvariantCulture));
                // Beyond int64 go-yaml falls back to a float64, and so does sops.
                return new SopsScalar(ScalarKind.Float, GoFormat.FormatFloatF((double)big));
            }
            if (FloatPattern().IsMatch(text) && TryFloat(text.Replace("_", "", StringComparison.Ordinal), out var f))
                return new SopsScalar(ScalarKind.Float, GoFormat.FormatFloatF(f));
        }
        return new SopsScalar(ScalarKind.Str, text);
    }

    /// <summary>A scalar with an explicit core tag (<c>!!str</c>, <c>!!int</c>...) or a quoted style.</summary>
    public static SopsScalar ResolveTagged(string text, string tag, ScalarStyle style)
    {
        SopsScalar scalar = tag switch
        {
            "tag:yaml.org,2002:str" => new SopsScalar(ScalarKind.Str, text),
            "tag:yaml.org,2002:null" => new SopsScalar(ScalarKind.Null, ""),
            "tag:yaml.org,2002:binary" => new SopsScalar(ScalarKind.Str, text),
            "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:timestamp" => Resolve(text),
            _ => new SopsScalar(ScalarKind.Str, text),
        };
        scalar.Style = style;
        scalar.Source = style == ScalarStyle.Plain ? text : null;
        return scalar;
    }

    public static bool TryTimestamp(string text, out string canonical)
    {
        canonical = "";
        var m = TimestampPattern().Match(text);
        if (!m.Success)
            return false;
        int Num(int g) => int.Parse(m.Groups[g].ValueSpan, CultureInfo.InvariantCulture);
        int year = Num(1), month = Num(2), day = Num(3);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        if (!m.Groups[4].Success)
        {
            canonical = $"{year:D4}-{month:D2}-{day:D2}T00:00:00Z";
            return true;
        }
        int hour = Num(4), minute = Num(5), second = Num(6);
        if (hour > 23 || minute > 59 || second > 59)
            return false;
        var fraction = m.Groups[7].Success ? m.Groups[7].Value : "";
        if (fraction.Length > 9)
            fraction = fraction[..9];
        fraction = fraction.TrimEnd('0');
        var zone = m.Groups[8].Success ? m.Groups[8].Value : "Z";
        if (zone != "Z")
        {
            var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
            int zh = int.Parse(digits.Length <= 2 ? digits : digits[..^2], CultureInfo.InvariantCulture);
            int zm = digits.Length > 2 ? int.Parse(digits[^2..], CultureInfo.InvariantCulture) : 0;
            zone = zh == 0 && zm == 0 ? "Z" : $"{zone[0]}{zh:D2}:{zm:D2}";
        }
        canonical = $"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:{second:D2}{(fraction.Length > 0 ? "." + fraction : "")}{zone}";
        return true;
    }

    private static bool TryInteger(string text, out BigInteger value)
    {
        value = 0;
        bool negative = text.StartsWith('-');
        var body = text.TrimStart('-', '+');
        (string digits, int radix) = body.StartsWith("0x", StringComparison.Ordinal) ? (body[2..], 16)
            : body.StartsWith("0o", StringComparison.Ordinal) ? (body[2..], 8)
            : body.StartsWith("0b", StringComparison.Ordinal) ? (body[2..], 2)
            : (body, 10);
        if (digits.Length == 0)
            return false;
        foreach (var c in digits)
        {
            int d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigitLower(c) ? c - 'a' + 10 : char.IsAsciiHexDigitUpper(c) ? c - 'A' + 10 : 99;
            if (d >= radix)
                return false;
            value = value * radix + d;
        }
        if (negative)
            value = -value;
        return true;
    }

    private static bool TryFloat(string text, out double value)
    {
        switch (text.TrimStart('+'))
        {
            case ".inf" or ".Inf" or ".INF":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                value = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN;
                return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True when <paramref name="text"/> written plain reads back as the same string.</summary>
    public static bool CanBePlain(string text, bool isKey = false)
    {
        if (text.Length == 0 || text != text.Trim() || text.Contains('\n', StringComparison.Ordinal))
            return false;
        if (Resolve(text).Kind != ScalarKind.Str)
            return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal))
        {
            // "-x", "?x", ":x" are plain when followed by a non-space, but keep it simple and quote them all except "-" + word.
            if (!(text[0] is '-' or '?' or ':' && text.Length > 1 && text[1] != ' '))
                return false;
        }
        if (text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':'))
            return false;
        if (text is "---" or "..." || text.StartsWith("--- ", StringComparison.Ordinal) || text.StartsWith("... ", StringComparison.Ordinal))
            return false;
        if (isKey && text.IndexOfAny(['[', ']', '{', '}', ',']) >= 0)
            return false;
        foreach (var c in text)
        {
            if (c == '\t' || char.IsControl(c) || c == '\uFEFF')
                return false;
        }
        return true;
    }
}
