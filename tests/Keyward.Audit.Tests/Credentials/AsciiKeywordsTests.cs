using System.Buffers;
using Keyward.Audit.Credentials;

namespace Keyward.Audit.Tests.Credentials;

public class AsciiKeywordsTests
{
    /// <summary>Every keyword set the audit searches: each credential rule's, each pattern's, all of them together.</summary>
    public static TheoryData<string> KeywordSets()
    {
        var data = new TheoryData<string>();
        var rules = RuleRegistry.BuiltIn.Rules.OfType<CredentialRule>().ToList();
        foreach (var rule in rules)
            data.Add(rule.Id);
        data.Add("all");
        data.Add("patterns");
        data.Add("small");
        return data;
    }

    [Theory]
    [MemberData(nameof(KeywordSets))]
    public void Finds_what_a_position_by_position_search_finds(string set)
    {
        var keywords = Keywords(set);
        var search = new AsciiKeywords(keywords);
        var reference = SearchValues.Create([.. keywords], StringComparison.OrdinalIgnoreCase);
        var random = new Random(set.GetHashCode(StringComparison.Ordinal) ^ 20261122);
        int found = 0, runs = keywords.Count > 100 ? 400 : 3_000;
        for (int i = 0; i < runs; i++)
        {
            var text = Text(random, keywords, nonAscii: i % 3 == 0);
            int expected = Naive(text, keywords);
            Assert.Equal(expected, search.IndexOfAny(text));
            if (i % 3 != 0)
                Assert.Equal(expected, text.AsSpan().IndexOfAny(reference)); // the framework agrees on ASCII text
            found += expected >= 0 ? 1 : 0;
        }
        Assert.InRange(found, runs / 10, runs * 9 / 10); // both outcomes are exercised
    }

    [Fact]
    public void Ignores_ascii_case_only()
    {
        var search = new AsciiKeywords(["secret", "ghp_", "-----begin"]);
        Assert.Equal(4, search.IndexOfAny("xyz SeCrEt"));
        Assert.Equal(0, search.IndexOfAny("GHP_abc"));
        Assert.Equal(2, search.IndexOfAny("a -----BEGIN RSA"));
        Assert.Equal(-1, search.IndexOfAny("ſecret and secreT".AsSpan(0, 6))); // long s is not s
        Assert.Equal(-1, search.IndexOfAny("ghP~"));
        Assert.Equal(-1, search.IndexOfAny("GHP@")); // '@' | 0x20 is '`', not '_'
        Assert.Equal(-1, search.IndexOfAny(""));
    }

    [Fact]
    public void A_keyword_at_the_very_end_of_a_long_text_is_found()
    {
        var search = new AsciiKeywords(["akia", "token", "q~"]);
        for (int length = 0; length < 40; length++)
        {
            var filler = new string('x', length);
            Assert.Equal(length, search.IndexOfAny(filler + "Q~"));
            Assert.Equal(length, search.IndexOfAny(filler + "TOKEN"));
            Assert.Equal(-1, search.IndexOfAny(filler + "TOKE"));
        }
    }

    [Fact]
    public void Rejects_keywords_that_are_empty_or_not_ascii()
    {
        Assert.Throws<ArgumentException>(() => new AsciiKeywords(["ok", ""]));
        Assert.Throws<ArgumentException>(() => new AsciiKeywords(["clé"]));
    }

    private static List<string> Keywords(string set)
    {
        var rules = RuleRegistry.BuiltIn.Rules.OfType<CredentialRule>().ToList();
        return set switch
        {
            "all" => [.. rules.SelectMany(r => r.Patterns).SelectMany(p => p.Keywords.Concat(p.Stopwords)).Distinct(StringComparer.OrdinalIgnoreCase)],
            "patterns" => [.. rules.SelectMany(r => r.Patterns).SelectMany(p => p.Keywords).Distinct(StringComparer.OrdinalIgnoreCase)],
            "small" => ["x", "key", "KEYS", "k8"],
            _ => [.. rules.Single(r => r.Id == set).Patterns.SelectMany(p => p.Keywords).Distinct(StringComparer.OrdinalIgnoreCase)],
        };
    }

    /// <summary>Random text that often holds a keyword, cut short or with its case changed, among filler.</summary>
    private static string Text(Random random, List<string> keywords, bool nonAscii)
    {
        var text = new System.Text.StringBuilder();
        int parts = random.Next(1, 6);
        for (int p = 0; p < parts; p++)
        {
            const string filler = "abcdefgxyz0129_-.:= \"'";
            const string wide = "\u00e9\u0131\u017f\u212a\u0430\u20ac"; // é, dotless i, long s, Kelvin, Cyrillic a, euro
            int length = random.Next(4) == 0 ? random.Next(20, 90) : random.Next(4);
            for (int c = 0; c < length; c++)
                text.Append(nonAscii && random.Next(8) == 0 ? wide[random.Next(wide.Length)] : filler[random.Next(filler.Length)]);
            if (random.Next(3) == 0 && keywords.Count > 0)
            {
                var word = keywords[random.Next(keywords.Count)];
                if (random.Next(3) == 0)
                    word = word[..random.Next(1, word.Length + 1)];
                text.Append(new string([.. word.Select(ch => random.Next(2) == 0 ? char.ToUpperInvariant(ch) : ch)]));
            }
        }
        return text.ToString();
    }

    private static int Naive(string text, List<string> keywords)
    {
        for (int i = 0; i < text.Length; i++)
        {
            foreach (var keyword in keywords)
            {
                if (Fold(text[i]) == Fold(keyword[0]) && i + keyword.Length <= text.Length && Enumerable.Range(0, keyword.Length).All(j => Fold(text[i + j]) == Fold(keyword[j])))
                    return i;
            }
        }
        return -1;
    }

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
