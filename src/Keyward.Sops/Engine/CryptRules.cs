using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Keyward.Core;
using Keyward.Sops.Metadata;

namespace Keyward.Sops.Engine;

/// <summary>
/// sops's shouldBeEncrypted: suffix and regex rules test each element of the key path; comment regex rules test the
/// comments above a value (its comment stack). Regexes are unanchored like Go's RE2.
/// </summary>
public sealed class CryptRules
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);
    private readonly CryptRule _rule;
    private readonly Regex? _regex;
    private readonly Dictionary<string, bool> _matches = new(StringComparer.Ordinal);

    public CryptRules(CryptRule rule)
    {
        _rule = rule;
        if (rule.Option.EndsWith("regex", StringComparison.Ordinal))
            _regex = Compile(rule.Value, rule.Option);
    }

    public static Regex Compile(string pattern, string what)
    {
        try
        {
            return Cache.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e)
        {
            throw new KeywardException($"invalid {what} \"{pattern}\": {KeywardException.Plain(e)}", "use Go RE2 syntax", FailureKind.Usage, e);
        }
    }

    /// <summary>Whether a leaf (or a comment, <paramref name="isComment"/>) at <paramref name="path"/> is encrypted.</summary>
    public bool ShouldEncrypt(IReadOnlyList<string> path, IReadOnlyList<List<string>> commentStack, bool isComment)
    {
        switch (_rule.Option)
        {
            case "unencrypted_suffix":
                return !AnyPath(path);
            case "encrypted_suffix":
                return AnyPath(path);
            case "unencrypted_regex":
                return !AnyPath(path);
            case "encrypted_regex":
                return AnyPath(path);
            case "unencrypted_comment_regex":
                return !commentStack.Any(level => level.Any(c => _regex!.IsMatch(c)));
            case "encrypted_comment_regex":
                for (int i = 0; i < commentStack.Count; i++)
                {
                    var level = commentStack[i];
                    for (int j = 0; j < level.Count; j++)
                    {
                        // The comment that carries the marker is not itself encrypted.
                        if (isComment && i == commentStack.Count - 1 && j == level.Count - 1)
                            continue;
                        if (_regex!.IsMatch(level[j]))
                            return true;
                    }
                }
                return false;
            default:
                throw new KeywardException($"unknown encryption rule \"{_rule.Option}\"", "use one of " + string.Join(", ", CryptRule.Options), FailureKind.Usage);
        }
    }

    private bool AnyPath(IReadOnlyList<string> path)
    {
        for (int i = 0; i < path.Count; i++)
        {
            if (Matches(path[i]))
                return true;
        }
        return false;
    }

    /// <summary>Whether one key of a path matches the suffix or regex; regex answers are remembered per key name.</summary>
    private bool Matches(string key)
    {
        if (_regex is null)
            return key.EndsWith(_rule.Value, StringComparison.Ordinal);
        if (!_matches.TryGetValue(key, out bool match))
        {
            match = _regex.IsMatch(key);
            if (_matches.Count < 4096)
                _matches[key] = match;
        }
        return match;
    }
}
