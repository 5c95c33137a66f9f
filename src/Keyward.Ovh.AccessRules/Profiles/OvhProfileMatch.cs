using System.Text;
using System.Text.RegularExpressions;
using Keyward.Core;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Profiles;

/// <summary>The ids and options for which a profile's rules are exactly a given rule set.</summary>
public sealed record ProfileMatch(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Options);

public sealed partial class OvhProfile
{
    /// <summary>
    /// The grade of the profile's rules with every option: what a credential recorded under this profile's name may
    /// reach. Placeholders grade as the ids they stand for.
    /// </summary>
    public RiskLevel Level => RuleGrader.GradeSet(Instantiate(new Dictionary<string, string?>(), Options.Select(o => o.Name), requireAll: false)).Level;

    /// <summary>
    /// The ids and options for which <paramref name="rules"/> are exactly this profile's rules (in any order), or null.
    /// The ids are read from the rules themselves, so a file can say whether its rules are still its profile's
    /// without being told the cluster; rules naming two clusters, or any rule more or less, do not match.
    /// </summary>
    public ProfileMatch? Match(IReadOnlyList<AccessRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var template in RulesWith(Options.Select(o => o.Name)))
        {
            var pattern = TemplatePattern(template.Path);
            foreach (var rule in rules.Where(r => r.Method == template.Method))
            {
                var m = pattern.Match(rule.Path);
                if (!m.Success)
                    continue;
                foreach (var parameter in Parameters.Where(p => m.Groups[p.Name].Success))
                {
                    var value = m.Groups[parameter.Name].Value;
                    if (values.TryGetValue(parameter.Name, out var seen) && seen != value)
                        return null;
                    values[parameter.Name] = value;
                }
            }
        }
        if (Parameters.Any(p => !values.ContainsKey(p.Name)))
            return null;
        var wanted = RuleFingerprint.Compute(rules);
        // Every subset of the options (profiles have one or two): the set is the profile's with exactly those.
        for (int mask = 0; mask < 1 << Options.Count; mask++)
        {
            var chosen = Options.Where((_, i) => (mask & (1 << i)) != 0).Select(o => o.Name).ToList();
            IReadOnlyList<AccessRule> candidate;
            try
            {
                candidate = Instantiate(values, chosen, requireAll: true);
            }
            catch (KeywardException)
            {
                return null; // an id the profile refuses (a '*' or '/'): not this profile's rules
            }
            if (RuleFingerprint.Compute(candidate) == wanted)
                return new ProfileMatch(values, chosen);
        }
        return null;
    }

    /// <summary>A template path as a regex: literal text, each <c>{name}</c> one segment captured as <c>name</c>.</summary>
    private static Regex TemplatePattern(string template)
    {
        var pattern = new StringBuilder("^");
        int at = 0;
        foreach (Match parameter in SampleIds().Matches(template))
        {
            pattern.Append(Regex.Escape(template[at..parameter.Index]));
            pattern.Append("(?<").Append(parameter.Groups[1].Value).Append(">[^/]+)");
            at = parameter.Index + parameter.Length;
        }
        pattern.Append(Regex.Escape(template[at..])).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
