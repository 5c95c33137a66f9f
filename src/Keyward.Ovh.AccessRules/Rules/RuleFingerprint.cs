using System.Security.Cryptography;
using System.Text;

namespace Keyward.Ovh.Rules;

/// <summary>
/// A short, order-independent identity of a rule set, stored next to the credential so a later audit or rotation
/// can tell whether the rules changed: SHA-256 over the distinct rules sorted by path then method, one
/// <c>METHOD PATH</c> line each.
/// </summary>
public static class RuleFingerprint
{
    public const string Prefix = "sha256:";

    public static string Compute(IEnumerable<AccessRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var canonical = new StringBuilder();
        foreach (var line in rules.Select(r => r.ToString()).Distinct(StringComparer.Ordinal)
                     .OrderBy(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal).ThenBy(l => l, StringComparer.Ordinal))
            canonical.Append(line).Append('\n');
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
