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
/// The next stretch of an ASCII line where a match of a pattern can start, decided without the regex: no match
/// starts at or after <paramref name="from"/> and before <paramref name="first"/>, nor between
/// <paramref name="last"/> and the following stretch. False when no match can start at or after <paramref name="from"/>.
/// </summary>
public delegate bool CandidateStarts(ReadOnlySpan<char> line, int from, out int first, out int last);

/// <summary>
/// A pattern's regex anchored with <c>\G</c> (<c>\G(?:PATTERN)</c>) and where to try it: the scanner tries only
/// the candidate positions, leftmost first, which finds the matches a search from the line start finds. Only for
/// patterns that do not look before their start (no look-behind, <c>\b</c> or <c>^</c>).
/// </summary>
public sealed record AnchoredSearch(Regex Anchored, CandidateStarts Candidates);

/// <summary>
/// One credential shape: a regex whose first non-empty group is the secret, keywords that must appear (lowercase,
/// checked before the regex runs, so most text never reaches it), a minimum entropy, allowlists and stop-words.
/// </summary>
/// <remarks>
/// The regex is source-generated (<c>[GeneratedRegex]</c>): nothing is compiled when the rules are built, and the
/// matching code is ahead-of-time compiled with the CLI. Lines longer than <see cref="BacktrackingLimit"/> go to a
/// non-backtracking copy of the same regex, built on first use, so a crafted long line costs linear time. Both
/// engines find the same leftmost match with the same groups (a test runs both over the gitleaks corpus).
/// </remarks>
public sealed class CredentialPattern
{
    /// <summary>Longest input (chars) given to the backtracking engine; longer lines use the linear-time engine.</summary>
    internal const int BacktrackingLimit = 4096;

    private AsciiKeywords? _keywordSearch;
    private AsciiKeywords? _stopwordSearch;
    private Regex? _linear;
    private bool _linearUnsupported;

    /// <param name="regex">A source-generated regex; its <see cref="Regex.ToString"/> is the pattern text.</param>
    public CredentialPattern(string name, string description, Regex regex, params string[] keywords)
    {
        ArgumentNullException.ThrowIfNull(regex);
        Name = name;
        Description = description;
        Regex = regex;
        RegexText = regex.ToString();
        Keywords = keywords;
    }

    /// <summary>Short name shown in messages (<c>github-pat</c>); matches the gitleaks rule id where there is one.</summary>
    public string Name { get; }

    /// <summary>What the secret is, for messages (<c>GitHub personal access token</c>).</summary>
    public string Description { get; }

    /// <summary>The description after "a" or "an" (an API key, an OVHcloud consumer key, a GitHub token).</summary>
    public string WithArticle => (Description.Length > 0 && "AEIOaeio".Contains(Description[0], StringComparison.Ordinal) ? "an " : "a ") + Description;

    public string RegexText { get; }

    /// <summary>The backtracking (source-generated) regex, used for inputs up to <see cref="BacktrackingLimit"/> chars.</summary>
    public Regex Regex { get; }

    public IReadOnlyList<string> Keywords { get; }

    /// <summary>The secret must have strictly more entropy than this (bits per character); 0 disables the check.</summary>
    public double MinEntropy { get; init; }

    /// <summary>Generic patterns also require a digit in the secret: words with high entropy are still words.</summary>
    public bool RequireDigit { get; init; }

    /// <summary>The match may span lines (PEM blocks): the regex runs from the keyword's line on.</summary>
    public bool MultiLine { get; init; }

    /// <summary>Optional: try the regex only where a match can start (patterns that are slow to search line by line).</summary>
    public AnchoredSearch? AnchoredSearch { get; init; }

    public IReadOnlyList<(AllowTarget Target, Regex Regex)> Allowlist { get; init; } = [];

    public IReadOnlyList<string> Stopwords { get; init; } = [];

    /// <summary>Only report in files whose path matches (e.g. <c>*.agekey</c>); null for any file.</summary>
    public Regex? PathFilter { get; init; }

    /// <summary>All stop-words in one search, ignoring ASCII case; built on first use.</summary>
    internal AsciiKeywords? StopwordSearch => Stopwords.Count == 0 ? null : _stopwordSearch ??= new AsciiKeywords(Stopwords);

    /// <summary>All keywords in one search: finding the lines to run the regex on is a single pass.</summary>
    internal AsciiKeywords KeywordSearch => _keywordSearch ??= new AsciiKeywords(Keywords);

    /// <summary>The regex to run over <paramref name="length"/> chars: backtracking for short inputs, linear-time for long ones.</summary>
    internal Regex EngineFor(int length) => length <= BacktrackingLimit ? Regex : Linear ?? Regex;

    /// <summary>
    /// The same pattern on the non-backtracking engine (linear in the input whatever the pattern), built the first
    /// time a long line needs it; null if the pattern uses a construct that engine lacks.
    /// </summary>
    internal Regex? Linear
    {
        get
        {
            if (_linear is null && !_linearUnsupported)
            {
                try
                {
                    _linear = new Regex(RegexText, Regex.Options | RegexOptions.NonBacktracking);
                }
                catch (NotSupportedException)
                {
                    _linearUnsupported = true;
                }
            }
            return _linear;
        }
    }

    /// <summary>An allowlist entry: a source-generated regex and what it is matched against.</summary>
    public static (AllowTarget, Regex) Allow(Regex regex, AllowTarget target = AllowTarget.Secret) => (target, regex);

    public override string ToString() => Name;
}
