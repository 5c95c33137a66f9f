using Keyward.Core;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// Which rules the new key of <c>ovh rotate</c> gets, and which profile the file may then name. Rotation is when a
/// key widened by hand would be copied silently, so the rules are graded as check and inspect grade them first.
/// </summary>
internal static class RotationRules
{
    /// <summary>
    /// The old key's rules when they grade within the limit (--max-risk, else the recorded profile's level, else
    /// minimal); the profile's rules with <paramref name="useProfileRules"/>. Throws before anything is requested.
    /// </summary>
    public static (IReadOnlyList<AccessRule> Rules, string? Profile) Choose(CliConsole console, string path, OvhSecretMetadata metadata,
        IReadOnlyList<AccessRule> oldRules, RiskLevel? maxRisk, bool useProfileRules)
    {
        // A file that names no profile may still hold exactly a profile's rules (written before secret recognised
        // them): its level is then the limit, as if named, and --profile-rules knows the rules to renew to.
        var profile = metadata.Profile is { } name ? BuiltInProfiles.Find(name)
            : (BuiltInProfiles.Recognize(metadata.Rules) ?? BuiltInProfiles.Recognize(oldRules))?.Profile;
        var rules = useProfileRules ? ProfileRules(path, metadata, profile, oldRules) : oldRules;

        var grade = RuleGrader.GradeSet(rules);
        var (limit, limitName) = maxRisk is { } max ? (max, $"--max-risk {max.Name()}")
            : profile is not null ? (profile.Level, $"{profile.Name}, the file's profile ({profile.Level.Name()})")
            : (RiskLevel.Minimal, "--max-risk minimal (the default when the file names no profile)");
        if (grade.Level > limit)
        {
            GradeReport.Write(console, grade);
            throw new KeywardException($"the old key's rules grade {grade.Level.Name()}, above {limitName}; no key was requested",
                (profile is not null ? $"rotate with {profile.Name}'s rules instead (keyward ovh rotate {path} --profile-rules); " : "request a narrower key (keyward ovh request --profile); ")
                + $"see the old key with keyward ovh inspect; --max-risk {grade.Level.Name()} copies these rules as they are", FailureKind.Failed);
        }

        GradeReport.WriteCautions(grade, line => console.Stderr.WriteLine($"keyward: warning: {line}"));

        // Record what is true: the profile's name only beside its own rules.
        if (profile is not null && profile.Match(rules) is null)
        {
            if (metadata.Profile is not null)
                console.Stderr.WriteLine($"keyward: warning: the new key's rules are not {profile.Name}'s; the file will no longer name that profile");
            return (rules, null);
        }
        return (rules, profile?.Name);
    }

    /// <summary>The recorded profile's rules, for the ids and options read from the file's rules (or the old key's).</summary>
    private static IReadOnlyList<AccessRule> ProfileRules(string path, OvhSecretMetadata metadata, OvhProfile? profile, IReadOnlyList<AccessRule> oldRules)
    {
        if (profile is null)
            throw new KeywardException($"\"{path}\" names no built-in profile, so --profile-rules has no rules to use",
                "request a key with a profile's rules: keyward ovh request --profile P ..., then keyward ovh secret", FailureKind.Usage);
        var match = profile.Match(metadata.Rules) ?? profile.Match(oldRules)
            ?? throw new KeywardException($"\"{path}\": neither the recorded rules nor the old key's are {profile.Name}'s, so its ids are unknown",
                $"request a key with keyward ovh request --profile {profile.Name} and the ids, then keyward ovh secret", FailureKind.Usage);
        return profile.Instantiate(match.Values, match.Options, requireAll: true);
    }
}
