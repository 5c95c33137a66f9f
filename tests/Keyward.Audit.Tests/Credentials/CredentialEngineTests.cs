using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keyward.Audit.Credentials;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Credentials;

/// <summary>
/// The scanner's shortcuts must not change what a pattern finds: the source-generated (backtracking) regex and the
/// non-backtracking copy used for long lines find the same matches, the candidate search of the generic pattern
/// finds the matches a search from the line start finds, one keyword search for all the patterns of a rule finds
/// what one search per pattern finds, and the JWT keyword is in every JWT match. Checked on
/// gitleaks' samples and test data, the repository's examples and generated assignment lines.
/// </summary>
public class CredentialEngineTests
{
    private static readonly Lazy<List<string>> Corpus = new(LoadCorpus);

    private static List<CredentialPattern> AllPatterns() =>
        [.. RuleRegistry.BuiltIn.Rules.OfType<CredentialRule>().SelectMany(r => r.Patterns)];

    [Fact]
    public void Backtracking_and_linear_engines_find_the_same_matches()
    {
        foreach (var pattern in AllPatterns())
        {
            var linear = pattern.Linear;
            Assert.True(linear is not null, $"{pattern.Name} has no non-backtracking engine");
            Assert.Equal(pattern.RegexText, linear.ToString());
            foreach (var text in Corpus.Value)
            {
                Assert.True(Describe(pattern.Regex.Match(text)) == Describe(linear.Match(text)), $"{pattern.Name} differs on a whole text");
                foreach (var (start, end) in Lines(text))
                {
                    var expected = Describe(pattern.Regex.Match(text, start, end - start));
                    var actual = Describe(linear.Match(text, start, end - start));
                    Assert.True(expected == actual, $"{pattern.Name} differs on line \"{text[start..end]}\": {expected} vs {actual}");
                }
            }
        }
    }

    [Fact]
    public void Candidate_search_finds_the_matches_of_a_search_from_the_line_start()
    {
        var generic = AllPatterns().Single(p => p.Name == "generic-api-key");
        Assert.NotNull(generic.AnchoredSearch);
        Assert.Equal(@"\G(?:" + generic.RegexText + ")", generic.AnchoredSearch.Anchored.ToString());
        int lines = 0, matches = 0;
        var found = new List<Match>();
        foreach (var text in Corpus.Value.Concat(GeneratedAssignmentLines(30_000)))
        {
            foreach (var (start, end) in Lines(text))
            {
                found.Clear();
                CredentialScanner.LineMatches(text, start, end, generic, found);
                var expected = Describe(generic.Regex.Match(text, start, end - start));
                var actual = Describe(found);
                Assert.True(expected == actual, $"line \"{text[start..end]}\": expected {expected}, found {actual}");
                lines++;
                matches += found.Count;
            }
        }
        // The comparison means something only if the lines exercise the pattern.
        Assert.True(matches > 5_000, $"only {matches} matches in {lines} lines");
    }

    [Fact]
    public void One_keyword_pass_for_a_rule_finds_what_one_pass_per_pattern_finds()
    {
        static string Describe(IEnumerable<CredentialMatch> matches) =>
            string.Join(";", matches.Select(m => $"{m.Pattern.Name}@{m.Offset}+{m.Match.Length}"));
        int found = 0;
        foreach (var rule in RuleRegistry.BuiltIn.Rules.OfType<CredentialRule>().Where(r => r.Patterns.Count > 1))
        {
            foreach (var text in Corpus.Value)
            {
                var together = CredentialScanner.Scan(text, rule.Patterns, "sample.txt");
                var oneByOne = rule.Patterns.SelectMany(p => CredentialScanner.Scan(text, [p], "sample.txt")).ToList();
                Assert.Equal(Describe(oneByOne), Describe(together));
                found += together.Count;
            }
        }
        Assert.True(found > 100, $"only {found} findings of multi-pattern rules in the corpus");
    }

    [Fact]
    public void Every_jwt_match_holds_the_jwt_keyword()
    {
        var jwt = AllPatterns().Single(p => p.Name == "jwt");
        int matches = 0;
        foreach (var text in Corpus.Value)
        {
            foreach (var (start, end) in Lines(text))
            {
                for (var m = jwt.Regex.Match(text, start, end - start); m.Success; m = m.NextMatch())
                {
                    Assert.Contains(jwt.Keywords, k => m.Value.Contains(k, StringComparison.OrdinalIgnoreCase));
                    matches++;
                }
            }
        }
        Assert.True(matches >= 10, $"only {matches} JWT matches in the corpus");
    }

    /// <summary>Lines as the scanner cuts them: at \n, without a trailing \r.</summary>
    private static IEnumerable<(int Start, int End)> Lines(string text)
    {
        int start = 0;
        while (start <= text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline;
            yield return (start, end > start && text[end - 1] == '\r' ? end - 1 : end);
            if (newline < 0)
                yield break;
            start = newline + 1;
        }
    }

    private static string Describe(Match first)
    {
        var all = new List<Match>();
        for (var m = first; m.Success; m = m.NextMatch())
            all.Add(m);
        return Describe(all);
    }

    private static string Describe(List<Match> matches)
    {
        var sb = new StringBuilder();
        foreach (var m in matches)
        {
            sb.Append('[');
            foreach (Group g in m.Groups)
                sb.Append(g.Success ? $"{g.Index}+{g.Length} " : "- ");
            sb.Append(']');
        }
        return sb.ToString();
    }

    private static List<string> LoadCorpus()
    {
        var texts = new List<string>();
        using (var doc = JsonDocument.Parse(File.ReadAllText(SharedMaterial.Path("conformance", "gitleaks", "rule-samples.json"))))
        {
            foreach (var sample in doc.RootElement.GetProperty("samples").EnumerateArray())
                texts.Add(sample.GetProperty("text").GetString()!);
        }
        var folders = new[]
        {
            SharedMaterial.Path("conformance", "gitleaks", "testdata"),
            Path.Combine(SharedMaterial.RepositoryRoot, "examples"),
            Path.Combine(SharedMaterial.RepositoryRoot, "tests", "Keyward.Audit.Tests", "Golden", "input"),
        };
        foreach (var file in folders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length < 1_000_000 && !bytes.AsSpan().Contains((byte)0))
                texts.Add(Encoding.UTF8.GetString(bytes));
        }
        texts.AddRange(RuleRegistry.BuiltIn.Rules.SelectMany(r => r.Examples).Select(e => e.Source));
        return texts;
    }

    /// <summary>
    /// Lines of one or more assignments built from the generic pattern's parts and near misses: prefixes shorter and
    /// longer than 50, keywords in any case, too long middles, every separator, quotes, values of every alphabet and
    /// length around the limits, and now and then a non-ASCII character.
    /// </summary>
    private static IEnumerable<string> GeneratedAssignmentLines(int count)
    {
        var random = new Random(20261122);
        string[] keywords = ["access", "auth", "api", "API", "Api", "aPi", "credential", "creds", "key", "KEY", "passwd", "password", "PassWord", "secret", "token", "Token"];
        string[] separators = ["=", ">", ":=", "::=", ":::=", "::::=", "||", "|", ":", "=>", "?=", "?", ",", "==", " = ", ": ", "->"];
        string[] terminators = ["", " ", "\"", "'", "`", ";", "\\n", "\\r", "\\t", "#", "/", ".", ",", "\t", "\r", "é"];
        const string word = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        const string prefix = word + ".-";
        const string middle = word + ".- \t";
        const string gap = "`'\" \t=";
        const string value = word + ".=-+/";
        string Run(string alphabet, int max) =>
            new([.. Enumerable.Range(0, random.Next(max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        for (int i = 0; i < count; i++)
        {
            var line = new StringBuilder();
            int assignments = 1 + random.Next(3);
            for (int a = 0; a < assignments; a++)
            {
                line.Append(Run(" \t", 3)).Append(Run(prefix, random.Next(4) == 0 ? 70 : 12));
                line.Append(keywords[random.Next(keywords.Length)]).Append(Run(middle, random.Next(3) == 0 ? 26 : 8));
                line.Append(Run("'\" ", 4)).Append(separators[random.Next(separators.Length)]).Append(Run(gap, 7));
                line.Append(Run(random.Next(3) == 0 ? "abcdef0123456789+/" : value, random.Next(4) == 0 ? 200 : 40));
                line.Append(Run("=", 3)).Append(terminators[random.Next(terminators.Length)]);
            }
            yield return line.ToString();
        }
    }
}
