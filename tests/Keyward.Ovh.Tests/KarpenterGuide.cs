using System.Text.RegularExpressions;
using Keyward.Testing;

namespace Keyward.Ovh.Tests;

/// <summary>The Karpenter-on-OVHcloud security guide (seeds/000), read where it is: its URL and its two tables.</summary>
public static partial class KarpenterGuide
{
    private static readonly Lazy<string> Text = new(() => File.ReadAllText(SharedMaterial.Path("seeds", "000_aeb47b52890a6a93.txt")));

    /// <summary>The pre-filled URL of "Quick Method", verbatim.</summary>
    public static string PrefilledUrl => Text.Value.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("https://api.ovh.com/createToken/?", StringComparison.Ordinal));

    /// <summary>The "Required API Permissions" table: method, path, purpose.</summary>
    public static IReadOnlyList<(string Method, string Path, string Purpose)> RequiredPermissions =>
        PermissionRow().Matches(Section("## Required API Permissions", "## Creating")).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.Trim())).ToList();

    /// <summary>The "Permission Scope Comparison" table: scope, example path, risk level, recommendation (emoji and bold removed).</summary>
    public static IReadOnlyList<(string Scope, string Path, string Risk, string Recommendation)> ScopeTable =>
        ScopeRow().Matches(Section("## Permission Scope Comparison", "## Finding")).Select(m =>
            (m.Groups[1].Value.Trim(), m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value.Replace("*", "", StringComparison.Ordinal).Trim())).ToList();

    private static string Section(string start, string end)
    {
        int from = Text.Value.IndexOf(start, StringComparison.Ordinal);
        int to = Text.Value.IndexOf(end, from, StringComparison.Ordinal);
        return Text.Value[from..to];
    }

    [GeneratedRegex(@"^\| (GET|POST|PUT|DELETE) \| `([^`]+)` \| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex PermissionRow();

    [GeneratedRegex(@"^\| ([A-Za-z ]+) \| `([^`]+)` \| [^*|]*\*\*([A-Za-z]+)\*\* \| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex ScopeRow();
}
