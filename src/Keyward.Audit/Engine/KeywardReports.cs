using System.Text.RegularExpressions;

namespace Keyward.Audit;

/// <summary>
/// Reports keyward wrote (JSON, SARIF, HTML) with secrets masked, found among the files audited. Their excerpts
/// repeat what the audit found, and auditing them again would add findings at every run: they are skipped, with a
/// note. A report written with --show-secrets says so at its top and is scanned like any other file.
/// </summary>
internal static partial class KeywardReports
{
    /// <summary>How far into a file the formats' fixed openings end (the HTML title, SARIF's driver name).</summary>
    internal const int HeadLength = 600;

    public static bool Is(SourceText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Commit is not null || text.File == "-")
            return false;
        return IsReportHead(text.Text.AsSpan(0, Math.Min(text.Text.Length, HeadLength)));
    }

    /// <summary>Whether a file that starts with <paramref name="head"/> (its first few hundred characters) is a keyward report.</summary>
    public static bool IsReportHead(ReadOnlySpan<char> head)
    {
        return head.StartsWith("<!DOCTYPE html>", StringComparison.Ordinal)
            ? head.Contains("<title>keyward audit report</title>", StringComparison.Ordinal) && head.Contains("<meta name=\"keyward-secrets\" content=\"masked\">", StringComparison.Ordinal)
            : head.StartsWith("{", StringComparison.Ordinal) && Opening().IsMatch(head);
    }

    /// <summary>The JSON report opens with its version and tool, SARIF with its schema, version and the run's driver; each says whether secrets are masked.</summary>
    [GeneratedRegex("""^\{\s*(?:"version":\s*\d+,\s*"tool":\s*\{\s*"name":\s*"keyward",\s*"version":\s*"[^"]*",\s*"secrets":\s*"masked"|"\$schema":\s*"[^"]*sarif[^"]*",\s*"version":\s*"2\.1\.0",\s*"runs":\s*\[\s*\{\s*"tool":\s*\{\s*"driver":\s*\{\s*"name":\s*"keyward",\s*"semanticVersion":\s*"[^"]*",\s*"properties":\s*\{\s*"secrets":\s*"masked")""", RegexOptions.CultureInvariant)]
    private static partial Regex Opening();
}
