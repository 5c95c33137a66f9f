namespace Keyward.Core;

/// <summary>What went wrong, in the user's terms, and what kind of failure it is for the exit code.</summary>
public enum FailureKind
{
    /// <summary>The operation failed (bad or tampered input, wrong key).</summary>
    Failed = 1,

    /// <summary>The command line or its inputs are unusable (missing file, bad flag combination).</summary>
    Usage = 2,
}

/// <summary>
/// The error every feature raises for the user: a lowercase message that names the file and place, and a hint
/// that says what to do. The CLI prints them as <c>keyward: error:</c> and <c>keyward: hint:</c>.
/// </summary>
public class KeywardException : Exception
{
    public KeywardException(string message, string? hint = null, FailureKind kind = FailureKind.Failed, Exception? inner = null)
        : base(message, inner)
    {
        Hint = hint;
        Kind = kind;
    }

    public KeywardException() : this("keyward error") { }

    public KeywardException(string message) : this(message, hint: null) { }

    public KeywardException(string message, Exception inner) : this(message, null, FailureKind.Failed, inner) { }

    public string? Hint { get; }

    public FailureKind Kind { get; }

    /// <summary>
    /// Another exception's message in keyward's style, to quote in an error line: lowercase first letter (unless it
    /// starts an acronym), no final period ("Access to the path '/x' is denied." gives "access to the path '/x' is denied").
    /// </summary>
    public static string Plain(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Plain(error.Message);
    }

    /// <summary><see cref="Plain(Exception)"/> for a message already in hand (a parser's, a library's).</summary>
    public static string Plain(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Trim().TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    /// <summary>
    /// <see cref="Plain(string)"/> for a parser's message about input that may hold a secret (YamlDotNet and
    /// System.Text.Json quote the text they stopped at): every quoted span longer than one character becomes
    /// <c>'…'</c>, so the reason stays and the input does not. One-character quotes (<c>','</c>, <c>']'</c>) name
    /// punctuation the parser expected and are kept.
    /// </summary>
    public static string PlainWithoutQuotedText(string message)
    {
        var text = Plain(message);
        var sb = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is not ('\'' or '"'))
            {
                sb.Append(c);
                continue;
            }
            int end = text.IndexOf(c, i + 1);
            if (end == i + 2)
            {
                sb.Append(text, i, 3);
                i = end;
                continue;
            }
            // An unclosed quote hides everything after it: the rest may be the input itself.
            sb.Append(c).Append('…');
            if (end < 0)
                break;
            sb.Append(c);
            i = end;
        }
        return sb.ToString();
    }
}
