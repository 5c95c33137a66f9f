using System.Text.RegularExpressions;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

/// <summary>What <c>*</c> matches, as research/apis.md §1.5 sums up the evidence, row by row.</summary>
public sealed class MatchingSemanticsTests
{
    [Theory]
    // A path without * is an exact match.
    [InlineData("GET /me", "GET", "/me", true)]
    [InlineData("GET /me", "GET", "/me/api/credential", false)]
    [InlineData("GET /me", "GET", "/meh", false)]
    // * matches across / (several segments): certbot's /domain/zone/* covers record and refresh calls.
    [InlineData("POST /domain/zone/*", "POST", "/domain/zone/example.com/record", true)]
    [InlineData("DELETE /domain/zone/*", "DELETE", "/domain/zone/example.com/record/42", true)]
    [InlineData("POST /domain/zone/*", "POST", "/domain/zone/example.com/refresh", true)]
    [InlineData("GET /*", "GET", "/cloud/project/p/kube/k/nodepool/n/nodes", true)]
    [InlineData("GET /cloud/*", "GET", "/cloud/project/p/instance", true)]
    // /x/* does not cover /x itself.
    [InlineData("GET /sms/*", "GET", "/sms", false)]
    [InlineData("GET /sms/*", "GET", "/sms/", true)]
    [InlineData("GET /cloud/project/p/kube/k/nodepool/*", "GET", "/cloud/project/p/kube/k/nodepool", false)]
    // * mid-path (acme.sh) and as a suffix without a slash (Posh-ACME).
    [InlineData("POST /domain/zone/*/record", "POST", "/domain/zone/example.com/record", true)]
    [InlineData("POST /domain/zone/*/record", "POST", "/domain/zone/example.com/record/1", false)]
    [InlineData("DELETE /domain/zone/*/record/*", "DELETE", "/domain/zone/example.com/record/1", true)]
    [InlineData("POST /domain/zone/*/record", "POST", "/domain/zone/a/b/record", true)]
    [InlineData("GET /domain/zone/example.com/record*", "GET", "/domain/zone/example.com/record", true)]
    [InlineData("GET /domain/zone/example.com/record*", "GET", "/domain/zone/example.com/record/77", true)]
    [InlineData("GET /domain/zone/example.com/record*", "GET", "/domain/zone/example.com/reco", false)]
    [InlineData("GET /cloud/project/p/kube/k/nodepool/*/nodes", "GET", "/cloud/project/p/kube/k/nodepool/np1/nodes", true)]
    [InlineData("GET /cloud/project/p/kube/k/nodepool/*/nodes", "GET", "/cloud/project/p/kube/k/nodepool/np1", false)]
    // The method must match exactly; there is no method wildcard.
    [InlineData("GET /domain/zone/*", "POST", "/domain/zone/example.com/record", false)]
    [InlineData("PUT /cloud/project/p/kube/k/nodepool/*", "GET", "/cloud/project/p/kube/k/nodepool/np1", false)]
    // The query string is not part of the match.
    [InlineData("GET /domain/zone/example.com/record", "GET", "/domain/zone/example.com/record?fieldType=TXT&subDomain=_acme", true)]
    [InlineData("GET /cloud/project/p/capabilities/kube/*", "GET", "/cloud/project/p/capabilities/kube/flavors?region=GRA11", true)]
    [InlineData("GET /cloud/project/p/capabilities/kube/*", "GET", "/cloud/project/p/capabilities/kube?region=GRA11", false)]
    // Several stars backtrack correctly.
    [InlineData("GET /a/*/b/*/c", "GET", "/a/x/b/y/b/z/c", true)]
    [InlineData("GET /a/*/b/*/c", "GET", "/a/x/b/y/c/d", false)]
    public void Rule_allows_call(string rule, string method, string path, bool allowed)
    {
        var parsed = AccessRuleParser.FromArguments([rule])[0];
        Assert.Equal(allowed, parsed.Allows(method, path));
    }

    [Theory]
    [InlineData("GET /cloud/*", "GET /cloud/project/p/kube/*", true)]
    [InlineData("GET /cloud/project/p/kube/*", "GET /cloud/project/p/kube/k/nodepool/*", true)]
    [InlineData("GET /cloud/project/p/kube/k/nodepool/*", "GET /cloud/project/p/kube/k/nodepool/*/nodes", true)]
    [InlineData("GET /cloud/project/p/kube/k/nodepool/*/nodes", "GET /cloud/project/p/kube/k/nodepool/*", false)]
    [InlineData("GET /x/*", "GET /x", false)]
    [InlineData("GET /x*", "GET /x", true)]
    [InlineData("GET /x", "GET /x", true)]
    [InlineData("GET /x", "GET /x/*", false)]
    [InlineData("GET /*", "GET /domain/zone/*/record/*", true)]
    [InlineData("PUT /*", "GET /me", false)]
    [InlineData("GET /domain/zone/*/record", "GET /domain/zone/example.com/record", true)]
    [InlineData("GET /domain/zone/example.com/record", "GET /domain/zone/*/record", false)]
    public void Rule_is_covered_by(string wide, string narrow, bool covered)
    {
        var w = AccessRuleParser.FromArguments([wide])[0];
        var n = AccessRuleParser.FromArguments([narrow])[0];
        Assert.Equal(covered, n.IsCoveredBy(w));
    }

    [Fact]
    public void Coverage_agrees_with_matching_on_every_sample_call()
    {
        // Soundness: whenever a rule is said to be covered, every call it allows is allowed by the wider rule.
        string[] patterns = ["/a/*", "/a/*/b", "/a/b*", "/*", "/a/b", "/a/*/*", "/a*b", "/a/b/*"];
        string[] calls = ["/a", "/a/", "/a/b", "/a/b/c", "/a/x/b", "/a/bb", "/ab", "/a/b/b", "/a/x/y/b", "/c"];
        foreach (var wide in patterns)
        {
            foreach (var narrow in patterns)
            {
                var w = new AccessRule("GET", wide);
                var n = new AccessRule("GET", narrow);
                if (!n.IsCoveredBy(w))
                    continue;
                foreach (var call in calls)
                    Assert.False(n.Allows("GET", call) && !w.Allows("GET", call), $"{narrow} said covered by {wide}, yet {call} is allowed by one only");
            }
        }
    }

    [Fact]
    public void Matching_agrees_with_the_regex_translation_of_apis_md_on_random_pairs()
    {
        // research/apis.md §1.5: "^" + Regex.Escape(path).Replace("\\*", ".*") + "$". Seeded, so a failure reproduces.
        var random = new Random(20261122);
        for (int i = 0; i < 20_000; i++)
        {
            var pattern = "/" + Word(random, "ab/*", random.Next(0, 7));
            var text = "/" + Word(random, "ab/", random.Next(0, 8));
            var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
            Assert.True(Regex.IsMatch(text, regex) == new AccessRule("GET", pattern).Allows("GET", text), $"{pattern} vs {text}");
        }
    }

    [Fact]
    public void Coverage_is_sound_on_random_patterns()
    {
        var random = new Random(7);
        int covered = 0;
        for (int i = 0; i < 3_000; i++)
        {
            var wide = new AccessRule("GET", "/" + Word(random, "ab/*", random.Next(0, 6)));
            var narrow = new AccessRule("GET", "/" + Word(random, "ab/*", random.Next(0, 6)));
            if (!narrow.IsCoveredBy(wide))
                continue;
            covered++;
            for (int j = 0; j < 50; j++)
            {
                var text = "/" + Word(random, "ab/", random.Next(0, 9));
                Assert.False(narrow.Allows("GET", text) && !wide.Allows("GET", text), $"{narrow} said covered by {wide}, yet {text} is allowed by one only");
            }
        }
        Assert.True(covered > 100, $"only {covered} covered pairs were drawn");
    }

    private static string Word(Random random, string alphabet, int length) =>
        new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
}
