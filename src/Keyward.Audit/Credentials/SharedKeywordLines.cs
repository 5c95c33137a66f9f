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
        }

        public KeywordLines Search { get; }

        public Dictionary<CredentialPattern, int> Index { get; } = new(ReferenceEqualityComparer.Instance);
    }

    /// <summary>Per text (the string itself): the lines of each built-in pattern, dropped with the text.</summary>
    private static readonly ConditionalWeakTable<string, List<(int Start, int End)>?[]> ByText = [];

    /// <summary>
    /// The keyword lines of each of <paramref name="patterns"/> in <paramref name="text"/>, in order; null when one
    /// of them is not built in (a rule of its own then searches by itself).
    /// </summary>
    public static List<(int Start, int End)>?[]? For(string text, IReadOnlyList<CredentialPattern> patterns)
    {
        var search = BuiltIn.Patterns.Search;
        var index = BuiltIn.Patterns.Index;
        var positions = new int[patterns.Count];
        for (int p = 0; p < patterns.Count; p++)
        {
            if (!index.TryGetValue(patterns[p], out positions[p]))
                return null;
        }
        var all = ByText.GetValue(text, search.Find);
        var lines = new List<(int Start, int End)>?[patterns.Count];
        for (int p = 0; p < patterns.Count; p++)
            lines[p] = all[positions[p]];
        return lines;
    }
}
