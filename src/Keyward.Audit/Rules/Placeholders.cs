using System.Text;
using System.Text.RegularExpressions;

namespace Keyward.Audit.Rules;

/// <summary>
/// Values that stand in for a credential not in Git: SOPS ciphertext, a variable substituted at deploy time, or a
/// template marker (<c>&lt;base64-encoded&gt;</c>, <c>YOUR_API_KEY</c>). KW101 judges a Secret's values by it, and the
/// credential rules a value that is such a stand-in base64-encoded (a Secret's data as kubectl create secret
/// --dry-run=client -o yaml writes a template), so the two agree on what is no secret.
/// </summary>
internal static partial class Placeholders
{
    public static bool StandsIn(string value) =>
        value.StartsWith("ENC[", StringComparison.Ordinal) || IsSubstitutedVariable(value) || SensitiveNames.IsTemplateMarker(value);

    /// <summary>
    /// The text <paramref name="value"/> decodes to as base64 of printable ASCII (what placeholders are written in), or
    /// null. Called for every credential candidate, so it throws nothing and allocates only for such a text: most
    /// candidates are random and decode to bytes that are not text.
    /// </summary>
    public static string? Base64Text(string value)
    {
        // Longer values are no template marker; the bound keeps the buffer on the stack.
        if (value.Length < 8 || value.Length > 1024 || value.Length % 4 != 0)
            return null;
        Span<byte> bytes = stackalloc byte[value.Length / 4 * 3];
        if (!Convert.TryFromBase64String(value, bytes, out int written))
            return null;
        var text = bytes[..written];
        foreach (byte b in text)
        {
            if (b is (< 0x20 or >= 0x7F) and not ((byte)'\n' or (byte)'\r' or (byte)'\t'))
                return null;
        }
        return Encoding.ASCII.GetString(text);
    }

    /// <summary>
    /// <c>${NAME}</c>, or with an empty default (<c>${NAME:=}</c>): a variable Flux's post-build substitution (or
    /// envsubst) fills in from the cluster, so no value is in Git. A default that is not empty is in Git.
    /// </summary>
    public static bool IsSubstitutedVariable(string value) =>
        value.Length > 3 && value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}') && SubstitutedVariable().IsMatch(value);

    [GeneratedRegex(@"^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=])?\}$", RegexOptions.CultureInvariant)]
    private static partial Regex SubstitutedVariable();
}
