using System.Text.RegularExpressions;

namespace Keyward.Audit.Credentials;

/// <summary>What an allowlist regex is matched against.</summary>
public enum AllowTarget
{
    Secret,
    Match,
    Line,
}

/// <summary>
/// One credential shape: a regex whose first non-empty group is the secret, keywords that must appear (lowercase,
/// checked before the regex runs, so most text never reaches it), a minimum entropy, allowlists and stop-words.
/// </summary>
public sealed class CredentialPattern
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    public CredentialPattern(string name, string description, string regex, params string[] keywords)
    {
        Name = name;
        Description = description;
        RegexText = regex;
        Regex = new Regex(regex, Options, TimeSpan.FromSeconds(2));
        Keywords = keywords;
    }

    /// <summary>Short name shown in messages (<c>github-pat</c>); matches the gitleaks rule id where there is one.</summary>
    public string Name { get; }

    /// <summary>What the secret is, for messages (<c>GitHub personal access token</c>).</summary>
    public string Description { get; }

    public string RegexText { get; }
    public Regex Regex { get; }
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>The secret must have strictly more entropy than this (bits per character); 0 disables the check.</summary>
    public double MinEntropy { get; init; }

    /// <summary>Generic patterns also require a digit in the secret: words with high entropy are still words.</summary>
    public bool RequireDigit { get; init; }

    /// <summary>The match may span lines (PEM blocks): the regex runs from the keyword's line on.</summary>
    public bool MultiLine { get; init; }

    public IReadOnlyList<(AllowTarget Target, Regex Regex)> Allowlist { get; init; } = [];

    public IReadOnlyList<string> Stopwords { get; init; } = [];

    /// <summary>Only report in files whose path matches (e.g. <c>*.agekey</c>); null for any file.</summary>
    public Regex? PathFilter { get; init; }

    public static (AllowTarget, Regex) Allow(string regex, AllowTarget target = AllowTarget.Secret) =>
        (target, new Regex(regex, Options, TimeSpan.FromSeconds(2)));

    public override string ToString() => Name;
}
