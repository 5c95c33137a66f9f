using System.Text.RegularExpressions;

namespace Keyward.Audit;

/// <summary>
/// Reports keyward wrote (JSON, SARIF, HTML), found among the files audited. Their excerpts repeat what the audit
/// found, masked or not, and auditing them again would add findings at every run: they are skipped, with a note.
/// </summary>
internal static partial class KeywardReports
{
    /// <summary>How far into a file the formats' fixed openings end (the HTML title, SARIF's driver name).</summary>
    private const int HeadLength = 400;

    public static bool Is(SourceText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Commit is not null || text.File == "-")
            return false;
        var head = text.Text.AsSpan(0, Math.Min(text.Text.Length, HeadLength));
        return head.StartsWith("<!DOCTYPE html>", StringComparison.Ordinal) ? head.Contains("<title>keyward audit report</title>", StringComparison.Ordinal)
            : head.StartsWith("{", StringComparison.Ordinal) && Opening().IsMatch(head);
    }

    /// <summary>The JSON report opens with its version and tool; SARIF with its schema, version and the run's driver.</summary>
    [GeneratedRegex("""^\{\s*(?:"version":\s*\d+,\s*"tool":\s*\{\s*"name":\s*"keyward"|"\$schema":\s*"[^"]*sarif[^"]*",\s*"version":\s*"2\.1\.0",\s*"runs":\s*\[\s*\{\s*"tool":\s*\{\s*"driver":\s*\{\s*"name":\s*"keyward")""", RegexOptions.CultureInvariant)]
    private static partial Regex Opening();
}
