using Keyward.Ovh.Grading;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Profiles;

/// <summary>A call the component makes that no granted rule allows: it will fail with NOT_GRANTED_CALL.</summary>
public sealed record MissingCall(ApiCall Call, string Method, string Path);

/// <summary>A granted rule that no rule of the profile covers: it grants more than the component needs.</summary>
public sealed record ExcessRule(AccessRule Rule, RuleGrade Grade);

public sealed record ProfileDiffResult(IReadOnlyList<MissingCall> Missing, IReadOnlyList<ExcessRule> Excess)
{
    public bool Exact => Missing.Count == 0 && Excess.Count == 0;
}

/// <summary>Compares granted rules with what a profile needs, call by call and rule by rule.</summary>
public static class ProfileDiff
{
    public static ProfileDiffResult Compare(OvhProfile profile, IReadOnlyDictionary<string, string?> values, IEnumerable<string> options,
        IReadOnlyList<AccessRule> granted)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(granted);
        var chosen = options.ToList();
        var needed = profile.Instantiate(values, chosen, requireAll: false);
        var missing = profile.ConcreteCalls(values, chosen)
            .Where(c => !granted.Any(g => g.Allows(c.Method, c.Path)))
            .Select(c => new MissingCall(c.Call, c.Method, c.Path))
            .ToList();
        var excess = granted.Distinct()
            .Where(g => !needed.Any(g.IsCoveredBy))
            .Select(g => new ExcessRule(g, RuleGrader.Grade(g)))
            .ToList();
        return new ProfileDiffResult(missing, excess);
    }
}
