using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Keyward.Audit.Credentials;

/// <summary>
/// Finds the first occurrence of any of a set of ASCII keywords in a text, ignoring ASCII case (A-Z against a-z;
/// a non-ASCII character never matches). The credential keywords and stop-words are ASCII, and so is every text
/// they are meant to find.
/// </summary>
/// <remarks>
/// The framework's <c>SearchValues&lt;string&gt;</c> does this too, but each shape of keyword set is a different
/// generic instantiation that no ReadyToRun image holds: a fresh <c>keyward audit</c> spent about 0.04 s compiling
/// them, a third of what a small repository takes to audit. This class is compiled ahead of time with the CLI.
/// <para>
/// The search is a filter then a check. The filter looks at 16 positions at a time (SSSE3 byte shuffles): a position
/// passes when its first <see cref="_prefix"/> characters (up to 3), through a table per character index and nibble,
/// all allow one bucket of keywords. Each position that passes is then compared with the keywords whose first two
/// characters it holds (one bit per pair rules most out). Without SSSE3 every position is checked that way.
/// </para>
/// </remarks>
internal sealed class AsciiKeywords
{
    private const int BucketCount = 8;

    /// <summary>Lowercase keywords, grouped by their first two characters (<see cref="_pairs"/>).</summary>
    private readonly string[] _keywords;

    /// <summary>The distinct pairs, ascending, as <c>first &lt;&lt; 7 | second</c>; keywords of one character have none.</summary>
    private readonly int[] _pairs;

    /// <summary>The keywords of pair i are <c>_keywords[_pairFrom[i].._pairFrom[i + 1]]</c>.</summary>
    private readonly int[] _pairFrom;

    /// <summary>One bit per pair code: most positions are ruled out by one lookup.</summary>
    private readonly ulong[] _pairBits = new ulong[128 * 128 / 64];

    /// <summary>Single-character keywords, by character.</summary>
    private readonly bool[] _single = new bool[128];

    private readonly bool _hasSingle;

    /// <summary>
    /// How many leading characters the filter tests: the longest keyword's length, at most 3 (0: no keywords); a
    /// shorter keyword lets any character through past its end.
    /// </summary>
    private readonly int _prefix;

    /// <summary>
    /// Per leading character index k, the buckets whose keywords may have, at k, a character with this low
    /// (<c>_low[k]</c>) or high (<c>_high[k]</c>) nibble; null without SSSE3.
    /// </summary>
    private readonly Vector128<byte>[]? _low, _high;

    public AsciiKeywords(IEnumerable<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        var byPair = new Dictionary<int, List<string>>();
        var lowered = new List<string>();
        foreach (var keyword in keywords)
        {
            if (string.IsNullOrEmpty(keyword) || !System.Text.Ascii.IsValid(keyword))
                throw new ArgumentException($"keyword \"{keyword}\" is empty or not ASCII", nameof(keywords));
            var lower = keyword.ToLowerInvariant();
            lowered.Add(lower);
            if (lower.Length == 1)
            {
                _single[lower[0]] = _hasSingle = true;
                continue;
            }
            int pair = lower[0] << 7 | lower[1];
            if (!byPair.TryGetValue(pair, out var list))
                byPair[pair] = list = [];
            if (!list.Contains(lower))
                list.Add(lower);
        }
        _pairs = [.. byPair.Keys];
        Array.Sort(_pairs);
        _pairFrom = new int[_pairs.Length + 1];
        var all = new List<string>();
        for (int p = 0; p < _pairs.Length; p++)
        {
            _pairFrom[p] = all.Count;
            all.AddRange(byPair[_pairs[p]]);
            _pairBits[_pairs[p] >> 6] |= 1UL << (_pairs[p] & 63);
        }
        _pairFrom[_pairs.Length] = all.Count;
        _keywords = [.. all];
        int longest = 0;
        foreach (var keyword in lowered)
            longest = Math.Max(longest, keyword.Length);
        _prefix = Math.Min(3, longest);
        Longest = longest;
        if (_prefix > 0 && Ssse3.IsSupported)
            (_low, _high) = NibbleTables(lowered, _prefix);
    }

    /// <summary>
    /// Keywords with the same first character share a bucket (the largest groups a bucket each, the rest dealt
    /// round), so that the first character's tables stay narrow. A letter is entered in both cases; past the end of
    /// a keyword shorter than the prefix, every character passes.
    /// </summary>
    private static (Vector128<byte>[] Low, Vector128<byte>[] High) NibbleTables(List<string> keywords, int prefix)
    {
        var low = new byte[prefix][];
        var high = new byte[prefix][];
        for (int k = 0; k < prefix; k++)
            (low[k], high[k]) = (new byte[16], new byte[16]);
        // Plain loops, not LINQ: a LINQ grouping by char is one more generic instantiation for the JIT.
        var byFirst = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var keyword in keywords)
        {
            var first = keyword[..1];
            if (!byFirst.TryGetValue(first, out var list))
                byFirst[first] = list = [];
            list.Add(keyword);
        }
        var groups = new List<List<string>>(byFirst.Values);
        groups.Sort((a, b) => a.Count != b.Count ? b.Count - a.Count : string.CompareOrdinal(a[0], b[0]));
        for (int g = 0; g < groups.Count; g++)
        {
            byte bucket = (byte)(1 << (g < BucketCount ? g : BucketCount - 1 - (g - BucketCount) % BucketCount));
            foreach (var keyword in groups[g])
            {
                for (int k = 0; k < prefix; k++)
                {
                    if (k >= keyword.Length)
                    {
                        for (int n = 0; n < 16; n++)
                        {
                            low[k][n] |= bucket;
                            high[k][n] |= bucket;
                        }
                        continue;
                    }
                    char c = keyword[k];
                    foreach (char variant in char.IsAsciiLetterLower(c) ? [c, char.ToUpperInvariant(c)] : new[] { c })
                    {
                        low[k][variant & 15] |= bucket;
                        high[k][variant >> 4] |= bucket;
                    }
                }
            }
        }
        var lowVectors = new Vector128<byte>[prefix];
        var highVectors = new Vector128<byte>[prefix];
        for (int k = 0; k < prefix; k++)
        {
            lowVectors[k] = Vector128.Create(low[k]);
            highVectors[k] = Vector128.Create(high[k]);
        }
        return (lowVectors, highVectors);
    }

    /// <summary>The length of the longest keyword.</summary>
    public int Longest { get; }

    public bool ContainsAny(ReadOnlySpan<char> text) => IndexOfAny(text) >= 0;

    /// <summary>The index of the first position where a keyword starts, or -1.</summary>
    public int IndexOfAny(ReadOnlySpan<char> text)
    {
        if (_low is null)
        {
            for (int at = 0; at < text.Length; at++)
            {
                if (MatchesAt(text, at))
                    return at;
            }
            return -1;
        }
        int i = 0;
        int last = text.Length - 16 - _prefix; // the last block start whose loads fit in the text
        if (last >= 0)
        {
            ref ushort start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            for (; i <= last; i += 16)
            {
                int found = Block(text, ref start, i, i, 0xFFFF);
                if (found >= 0)
                    return found;
            }
        }
        if (i == text.Length)
            return -1;
        // The last positions (fewer than 16 + the prefix), copied after zeros that no keyword character matches.
        Span<char> tail = stackalloc char[48];
        tail.Clear();
        var rest = text[i..];
        rest.CopyTo(tail);
        ref ushort padded = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(tail));
        for (int block = 0; block < rest.Length; block += 16)
        {
            uint valid = rest.Length - block >= 16 ? 0xFFFFu : (1u << (rest.Length - block)) - 1;
            int found = Block(text, ref padded, block, i + block, valid);
            if (found >= 0)
                return found;
        }
        return -1;
    }

    /// <summary>
    /// Filters the 16 positions from <paramref name="at"/> in <paramref name="chars"/> (which position
    /// <paramref name="textAt"/> of the text starts), then checks those of <paramref name="valid"/> that pass.
    /// </summary>
    private int Block(ReadOnlySpan<char> text, ref ushort chars, int at, int textAt, uint valid)
    {
        var low = _low!;
        var high = _high!;
        var passed = Buckets(ref chars, at, low[0], high[0]);
        if (_prefix > 1)
            passed &= Buckets(ref chars, at + 1, low[1], high[1]);
        if (_prefix > 2)
            passed &= Buckets(ref chars, at + 2, low[2], high[2]);
        uint lanes = ~Vector128.Equals(passed, Vector128<byte>.Zero).ExtractMostSignificantBits() & valid;
        for (; lanes != 0; lanes &= lanes - 1)
        {
            int candidate = textAt + BitOperations.TrailingZeroCount(lanes);
            if (MatchesAt(text, candidate))
                return candidate;
        }
        return -1;
    }

    /// <summary>
    /// For the 16 characters from <paramref name="at"/>, as bytes, the buckets both their nibbles allow (a
    /// non-ASCII character becomes some byte; the check after the filter rejects it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Buckets(ref ushort chars, int at, Vector128<byte> low, Vector128<byte> high)
    {
        var bytes = Vector128.Narrow(Vector128.LoadUnsafe(ref chars, (nuint)at), Vector128.LoadUnsafe(ref chars, (nuint)at + 8));
        var nibble = Vector128.Create((byte)15);
        return Ssse3.Shuffle(low, bytes & nibble) & Ssse3.Shuffle(high, Vector128.ShiftRightLogical(bytes, 4) & nibble);
    }

    /// <summary>Whether a keyword starts at <paramref name="at"/>.</summary>
    public bool MatchesAt(ReadOnlySpan<char> text, int at)
    {
        uint a = Fold(text[at]);
        if (a >= 128)
            return false;
        if (_hasSingle && _single[a])
            return true;
        if (at + 1 >= text.Length)
            return false;
        uint b = Fold(text[at + 1]);
        if (b >= 128)
            return false;
        int pair = (int)(a << 7 | b);
        if ((_pairBits[pair >> 6] & 1UL << (pair & 63)) == 0)
            return false;
        int p = Array.BinarySearch(_pairs, pair);
        var rest = text[at..];
        for (int k = _pairFrom[p]; k < _pairFrom[p + 1]; k++)
        {
            if (StartsWith(rest, _keywords[k]))
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="text"/> starts with the lowercase ASCII <paramref name="keyword"/>, ignoring ASCII case.</summary>
    public static bool StartsWith(ReadOnlySpan<char> text, string keyword)
    {
        if (text.Length < keyword.Length)
            return false;
        for (int j = 0; j < keyword.Length; j++)
        {
            if (Fold(text[j]) != keyword[j])
                return false;
        }
        return true;
    }

    /// <summary>A-Z to a-z; every other character unchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fold(char c) => unchecked(c - (uint)'A') <= 'Z' - 'A' ? c | 0x20u : c;
}
