namespace Keyward.Core;

/// <summary>
/// A YAML or JSON parser's reason for refusing input, in keyward's words and without the input. YamlDotNet and
/// System.Text.Json quote the text they stopped at ("the anchor 'x' does not exists", "'x' is an invalid JSON
/// literal"), and in a Secret that text is the value: a password written <c>*Pa55…</c> without quotes is read as an
/// alias, and its name is the password. The caller names the file, line and column; these say only what is wrong.
/// </summary>
public static class ParserMessages
{
    /// <summary>An alias to an anchor the document does not define: in practice a value that starts with <c>*</c>.</summary>
    public const string UnknownAlias = "an unquoted value starting with * is read as an alias to an anchor that does not exist; quote the value";

    /// <summary>A tag YAML does not know: in practice a value that starts with <c>!</c>.</summary>
    public const string UnknownTag = "an unquoted value starting with ! is read as a tag YAML does not know; quote the value";

    /// <summary>YamlDotNet's message for a YAML error, without its position and without any text it quotes from the input.</summary>
    public static string Yaml(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var m = WithoutPosition(message);
        if (Has(m, "anchor '") && (Has(m, "not found") || Has(m, "does not exist")))
            return UnknownAlias;
        if (Has(m, "unresolved tag") || Has(m, "undefined tag handle"))
            return UnknownTag;
        // "Duplicate key X": the key unquoted, and a flow mapping's key may be anything.
        if (Has(m, "duplicate key"))
            return "duplicate key: a key may appear only once in a mapping";
        return KeywardException.PlainWithoutQuotedText(m);
    }

    /// <summary>
    /// A reason in general terms for a System.Text.Json error. Its messages quote the text they stopped at
    /// ("'hunter2' is an invalid JSON literal"), which is the secret itself when a value lost its quotes: never pass
    /// them through.
    /// </summary>
    public static string Json(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        (string Phrase, string Reason)[] known =
        [
            ("invalid JSON literal", "a bare word where a value was expected (strings need double quotes)"),
            ("invalid start of a value", "expected a value (strings need double quotes)"),
            ("invalid start of a property name", "expected a property name in double quotes"),
            ("after a property name", "a missing ':' after a property name"),
            ("after a value", "a missing ',' or closing bracket after a value"),
            ("trailing comma", "a trailing comma"),
            ("invalid within a JSON string", "a control character inside a string (escape it)"),
            ("invalid escapable character", "an invalid escape sequence in a string"),
            ("hex digits", "an invalid \\u escape in a string"),
            ("number", "an invalid number"),
            ("Expected depth to be zero", "the text ends before the value is complete"),
            ("end of data", "the text ends before the value is complete"),
            ("Expected end of string", "a string that is never closed"),
            ("after a single JSON value", "text after the top-level value"),
            ("unexpected data after the top-level value", "text after the top-level value"),
            ("depth", "the value is nested too deeply"),
            ("comment", "a comment (JSON has none)"),
        ];
        // Without the position System.Text.Json appends (" LineNumber: 0 | BytePositionInLine: 5."), which the phrase
        // "number" would match.
        var m = message.Split(" LineNumber", 2)[0];
        foreach (var (phrase, reason) in known)
        {
            if (m.Contains(phrase, StringComparison.OrdinalIgnoreCase))
                return reason;
        }
        return "the text is not valid JSON here";
    }

    /// <summary>YamlDotNet's message without the "(Line: 1, Col: 2, Idx: 3) - (Line: …): " it may carry, before or after.</summary>
    private static string WithoutPosition(string message)
    {
        var m = message.Trim();
        while (m.StartsWith("(Line:", StringComparison.Ordinal))
        {
            int close = m.IndexOf("): ", StringComparison.Ordinal);
            int dash = m.IndexOf(") - (Line:", StringComparison.Ordinal);
            if (dash >= 0 && (close < 0 || dash < close))
            {
                m = m[(dash + 4)..];
                continue;
            }
            if (close < 0)
                break;
            m = m[(close + 3)..].TrimStart();
        }
        int suffix = m.IndexOf("(Line:", StringComparison.Ordinal);
        if (suffix > 0)
            m = m[..suffix].TrimEnd();
        return m.TrimEnd('.');
    }

    private static bool Has(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}
