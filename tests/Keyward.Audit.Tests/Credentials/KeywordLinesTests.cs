using Keyward.Audit.Credentials;

namespace Keyward.Audit.Tests.Credentials;

public class KeywordLinesTests
{
    private static readonly IReadOnlyList<CredentialPattern> Patterns =
        [.. RuleRegistry.BuiltIn.Rules.OfType<CredentialRule>().SelectMany(r => r.Patterns)];

    [Fact]
    public void The_joined_check_answers_as_the_joined_string_would()
    {
        var keywords = KeywordLines.For(Patterns);
        var words = Patterns.SelectMany(p => p.Keywords).Distinct().ToList();
        var random = new Random(20261122);
        int straddling = 0, longJoins = 0;
        for (int i = 0; i < 20_000; i++)
        {
            // Cut a keyword (or random text) anywhere, so keywords land inside a part, across ": " or nowhere.
            var word = words[random.Next(words.Count)];
            var text = Filler(random) + (random.Next(3) == 0 ? word : "") + Filler(random);
            int cut = random.Next(text.Length + 1);
            var (first, second) = (text[..cut], text[cut..]);
            var separator = random.Next(4) == 0 ? "" : ": ";
            bool expected = keywords.AnyIn(first + separator + second);
            if (text.Length + separator.Length > 256)
                longJoins++; // searched part by part rather than copied
            Assert.Equal(expected, keywords.AnyInJoined(first, separator, second));
            if (expected && !keywords.AnyIn(first) && !keywords.AnyIn(second) && !keywords.AnyIn(separator))
                straddling++;
        }
        Assert.True(straddling > 100, $"only {straddling} cases straddled the join");
        Assert.True(longJoins > 100, $"only {longJoins} joins were long");
    }

    private static string Filler(Random random)
    {
        const string alphabet = "abcxyz019_-. ";
        int length = random.Next(6) == 0 ? random.Next(100, 200) : random.Next(6);
        return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }
}
