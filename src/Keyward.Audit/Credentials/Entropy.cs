namespace Keyward.Audit.Credentials;

/// <summary>Shannon entropy in bits per character: random tokens score high, words and placeholders low.</summary>
public static class Entropy
{
    public static double Shannon(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
            return 0;
        Span<int> ascii = stackalloc int[128];
        Dictionary<char, int>? other = null;
        foreach (var c in value)
        {
            if (c < 128)
                ascii[c]++;
            else
            {
                other ??= [];
                other[c] = other.GetValueOrDefault(c) + 1;
            }
        }
        double length = value.Length;
        double entropy = 0;
        foreach (var count in ascii)
        {
            if (count > 0)
                entropy -= count / length * Math.Log2(count / length);
        }
        foreach (var count in other?.Values ?? Enumerable.Empty<int>())
            entropy -= count / length * Math.Log2(count / length);
        return entropy;
    }
}
