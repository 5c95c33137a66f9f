using System.Text.RegularExpressions;

namespace Keyward.Audit.Credentials;

/// <summary>
/// Values that are never secrets whatever the pattern: templating, variables, booleans (after gitleaks' global
/// allowlist), and values sealed for the Sealed Secrets controller.
/// </summary>
internal static partial class GlobalAllowlist
{
    public static bool Allows(string secret) =>
        Boolean().IsMatch(secret) || RepeatedCharacter().IsMatch(secret) || PositionalVariable().IsMatch(secret)
        || ShellVariable().IsMatch(secret) || BracedShellVariable().IsMatch(secret) || Template().IsMatch(secret)
        || ActionsExpression().IsMatch(secret) || WindowsVariable().IsMatch(secret) || AtVariable().IsMatch(secret)
        || SealedCiphertext.Is(secret) || EncodesStandIn(secret);

    /// <summary>
    /// Base64 of a value allowed here or of a stand-in (<c>${DB_PASSWORD}</c>, <c>YOUR_APPLICATION_KEY</c>): a
    /// Secret's data as kubectl create secret --dry-run=client -o yaml writes a template, judged by what it decodes
    /// to, as KW101 judges it.
    /// </summary>
    private static bool EncodesStandIn(string secret) =>
        Rules.Placeholders.Base64Text(secret) is { } text && (Allows(text) || Rules.Placeholders.StandsIn(text));

    [GeneratedRegex(@"(?i)^(?:true|false|null)$", RegexOptions.CultureInvariant)]
    private static partial Regex Boolean();

    [GeneratedRegex(@"^(?i:a+|b+|c+|d+|e+|f+|g+|h+|i+|j+|k+|l+|m+|n+|o+|p+|q+|r+|s+|t+|u+|v+|w+|x+|y+|z+|\*+|\.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RepeatedCharacter();

    [GeneratedRegex(@"^\$(?:\d+|\{\d+\})$", RegexOptions.CultureInvariant)]
    private static partial Regex PositionalVariable();

    [GeneratedRegex(@"^\$(?:[A-Z_]+|[a-z_]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShellVariable();

    [GeneratedRegex(@"^\$\{(?:[A-Z_]+|[a-z_]+)\}$", RegexOptions.CultureInvariant)]
    private static partial Regex BracedShellVariable();

    [GeneratedRegex(@"^\{\{[ \t]*[\w ().|]+[ \t]*\}\}$", RegexOptions.CultureInvariant)]
    private static partial Regex Template();

    [GeneratedRegex(@"^\$\{\{[ \t]*(?:(?:env|github|secrets|vars)(?:\.[A-Za-z]\w+)+[\w ""'&./=|]*)[ \t]*\}\}$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionsExpression();

    [GeneratedRegex(@"^%(?:[A-Z_]+|[a-z_]+)%$", RegexOptions.CultureInvariant)]
    private static partial Regex WindowsVariable();

    [GeneratedRegex(@"^@(?:[A-Z_]+|[a-z_]+)@$", RegexOptions.CultureInvariant)]
    private static partial Regex AtVariable();
}
