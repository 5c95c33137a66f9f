using System.Buffers;
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
        Regex = Build(regex);
        Keywords = keywords;
        KeywordSearch = SearchValues.Create(keywords, StringComparison.OrdinalIgnoreCase);
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

    public IReadOnlyList<string> Stopwords
    {
        get => _stopwords;
        init
        {
            _stopwords = value;
            StopwordSearch = value.Count == 0 ? null : SearchValues.Create([.. value], StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>All stop-words in one vectorized multi-string search (Aho-Corasick / Teddy), case-insensitive.</summary>
    internal SearchValues<string>? StopwordSearch { get; private init; }

    /// <summary>All keywords in one multi-string search: finding the lines to run the regex on is a single pass.</summary>
    internal SearchValues<string> KeywordSearch { get; }

    private readonly IReadOnlyList<string> _stopwords = [];

    /// <summary>Only report in files whose path matches (e.g. <c>*.agekey</c>); null for any file.</summary>
    public Regex? PathFilter { get; init; }

    /// <summary>
    /// The non-backtracking engine where the pattern allows it: linear time whatever the input, and several times
    /// faster than backtracking for the generic pattern's lazy prefix. Same leftmost match and captures.
    /// </summary>
    private static Regex Build(string regex)
    {
        try
        {
            return new Regex(regex, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (NotSupportedException)
        {
            return new Regex(regex, Options, TimeSpan.FromSeconds(2));
        }
    }

    public static (AllowTarget, Regex) Allow(string regex, AllowTarget target = AllowTarget.Secret) =>
        (target, new Regex(regex, Options, TimeSpan.FromSeconds(2)));

    public override string ToString() => Name;
}
