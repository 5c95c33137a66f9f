using System.Globalization;
using System.Text;
using Keyward.Core;
using Keyward.Sops.Tree;
using Keyward.Sops.Values;

namespace Keyward.Sops.Engine;

/// <summary>Maps between scalar kinds and sops type names, and turns decrypted plaintext back into a typed scalar.</summary>
public static class TypedValues
{
    public static string TypeName(ScalarKind kind) => kind switch
    {
        ScalarKind.Str => "str",
        ScalarKind.Int => "int",
        ScalarKind.Float => "float",
        ScalarKind.Bool => "bool",
        ScalarKind.Time => "time",
        ScalarKind.Bytes => "bytes",
        _ => throw new InvalidOperationException($"a {kind} value is never encrypted"),
    };

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>The typed scalar for a decrypted value, its text in the canonical form the MAC hashes.</summary>
    public static SopsScalar FromPlaintext(byte[] plaintext, string type, string where) => FromPlaintext(plaintext, type, () => where);

    /// <summary>As above; <paramref name="where"/> is only called for an error message.</summary>
    public static SopsScalar FromPlaintext(byte[] plaintext, string type, Func<string> where)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(plaintext);
        }
        catch (DecoderFallbackException)
        {
            if (type is "str" or "bytes")
                return new SopsScalar(type == "str" ? ScalarKind.Str : ScalarKind.Bytes, Encoding.UTF8.GetString(plaintext)) { RawBytes = plaintext };
            throw Bad(where, type);
        }
        switch (type)
        {
            case "str":
                return new SopsScalar(ScalarKind.Str, text);
            case "bytes":
                return new SopsScalar(ScalarKind.Bytes, text) { RawBytes = plaintext };
            case "int":
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                    throw Bad(where, type);
                return new SopsScalar(ScalarKind.Int, i.ToString(CultureInfo.InvariantCulture));
            case "float":
                if (!TryParseGoFloat(text, out var f))
                    throw Bad(where, type);
                return new SopsScalar(ScalarKind.Float, GoFormat.FormatFloatF(f));
            case "bool":
                return text switch
                {
                    "1" or "t" or "T" or "TRUE" or "true" or "True" => new SopsScalar(ScalarKind.Bool, "True"),
                    "0" or "f" or "F" or "FALSE" or "false" or "False" => new SopsScalar(ScalarKind.Bool, "False"),
                    _ => throw Bad(where, type),
                };
            case "time":
                if (!YamlScalars.TryTimestamp(text, out var canonical))
                    throw Bad(where, type);
                return new SopsScalar(ScalarKind.Time, canonical);
            default:
                throw Bad(where, type);
        }
    }

    public static bool TryParseGoFloat(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf" or "inf" or "+inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf" or "-inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN" or "nan":
                value = double.NaN;
                return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static KeywardException Bad(Func<string> where, string type) =>
        new($"{where()}: the decrypted value is not a valid {type}", "the file was written by a broken tool; set the value again", FailureKind.Failed);
}
