using System.Runtime.CompilerServices;

namespace Keyward.Audit.Credentials;

/// <summary>
/// The keyword lines of every built-in credential pattern in a text, found in one pass and shared by the credential
/// rules: each rule would otherwise search the whole text again for its own keywords, a dozen passes per file.
/// </summary>
internal static class SharedKeywordLines
{
    private sealed class BuiltIn
    {
        public static readonly BuiltIn Patterns = new();

        private BuiltIn()
        {
            var patterns = RuleRegistry.BuiltIn.Rules.OfType<CredentialRule>().SelectMany(r => r.Patterns).Distinct().ToList();
            for (int i = 0; i < patterns.Count; i++)
                Index[patterns[i]] = i;
            Search = KeywordLines.For(patterns);
            NoLines = new List<(int Start, int End)>?[patterns.Count];
        }

        public List<(int Start, int End)>?[] NoLines { get; }

        public KeywordLines Search { get; }

        public Dictionary<CredentialPattern, int> Index { get; } = new(ReferenceEqualityComparer.Instance);
    }

    /// <summary>Per text (the string itself): the lines of each built-in pattern, dropped with the text.</summary>
    private static readonly ConditionalWeakTable<string, List<(int Start, int End)>?[]> ByText = [];

    /// <summary>
    /// Where each of <paramref name="patterns"/> is among the built-in patterns (their index in <see cref="FindAll"/>'s
    /// answer); null when one of them is not built in (a rule of its own then searches by itself). Rules look this up
    /// once: per line it was a dictionary lookup per pattern and rule.
    /// </summary>
    public static int[]? Positions(IReadOnlyList<CredentialPattern> patterns)
    {
        var index = BuiltIn.Patterns.Index;
        var positions = new int[patterns.Count];
        for (int p = 0; p < patterns.Count; p++)
        {
            if (!index.TryGetValue(patterns[p], out positions[p]))
                return null;
        }
        return positions;
    }

    /// <summary>The keyword lines, in a whole text (cached for the text), of the patterns at <paramref name="positions"/>.</summary>
    public static List<(int Start, int End)>?[] For(string text, int[] positions) =>
        Select(ByText.GetValue(text, BuiltIn.Patterns.Search.Find), positions) ?? new List<(int Start, int End)>?[positions.Length];

    /// <summary>
    /// The keyword lines of every built-in pattern in a short text (a "NAME: value" line), not cached; a shared answer
    /// with no lines when no keyword occurs (most values), which must not be written to.
    /// </summary>
    public static List<(int Start, int End)>?[] FindAll(DocumentScanLines.ScanLine line)
    {
        var search = BuiltIn.Patterns.Search;
        return line.AnyIn(search) ? search.Find(line.Line) : BuiltIn.Patterns.NoLines;
    }

    /// <summary>
    /// The lines of the patterns at <paramref name="positions"/> out of <see cref="FindAll"/>'s answer; null when none
    /// of them has a keyword line.
    /// </summary>
    public static List<(int Start, int End)>?[]? Select(List<(int Start, int End)>?[] all, int[] positions)
    {
        List<(int Start, int End)>?[]? lines = null;
        for (int p = 0; p < positions.Length; p++)
        {
            if (all[positions[p]] is { } found)
                (lines ??= new List<(int Start, int End)>?[positions.Length])[p] = found;
        }
        return lines;
    }
}
