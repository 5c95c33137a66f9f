using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Where a part of a scalar's value is written. The tree knows where a scalar starts, not where each of its lines
/// is: a credential on the fifth line of a block scalar (or of a quoted or plain scalar folded over lines) would be
/// reported at the first, where users do not see it and where the engine cannot tell it from the same credential
/// found on its own line by the text scan.
/// </summary>
/// <remarks>
/// Found in the source rather than worked out from the scalar's style: the part's first word (it holds no
/// whitespace, so no line folding can split it) is looked for from where the scalar is written, skipping as many
/// earlier copies of it as the value has before the part. A word written differently in the source (an escape in a
/// quoted scalar) is not found, and the caller keeps the scalar's own position.
/// </remarks>
internal static class ScalarSource
{
    /// <summary>The position of <paramref name="node"/>'s value from <paramref name="valueOffset"/> on; null when not found.</summary>
    public static SourcePosition? PositionOf(SourceText? text, YamlScalar node, int valueOffset)
    {
        var value = node.Value;
        if (text is null || valueOffset < 0 || valueOffset >= value.Length)
            return null;
        var word = Word(value, valueOffset);
        if (word.IsEmpty || node.Line < 1 || node.Line > text.LineCount)
            return null;
        int earlier = Occurrences(value.AsSpan(0, valueOffset + word.Length - 1), word);
        var source = text.Text;
        int lineIndex = node.Line - 1;
        // A block scalar's content starts on the line after its indicator (and a comment may follow the indicator).
        int from = node.Style is ScalarStyle.Literal or ScalarStyle.Folded
            ? (lineIndex + 1 < text.LineCount ? text.LineStart(lineIndex + 1) : source.Length)
            : Math.Min(text.LineStart(lineIndex) + node.Column - 1, source.Length);
        int lastLine = lineIndex + 1 + MaxLinesSpanned(value);
        for (int found = -1; earlier >= 0; earlier--)
        {
            found = source.AsSpan(from).IndexOf(word, StringComparison.Ordinal);
            if (found < 0)
                return null;
            found += from;
            if (earlier == 0)
            {
                int at = text.LineIndexOf(found);
                return at > lastLine ? null : new SourcePosition(at + 1, found - text.LineStart(at) + 1);
            }
            from = found + 1;
        }
        return null;
    }

    /// <summary>The value's text from <paramref name="offset"/> up to the first whitespace.</summary>
    private static ReadOnlySpan<char> Word(string value, int offset)
    {
        var rest = value.AsSpan(offset);
        int end = rest.IndexOfAny(" \t\r\n");
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>How many times <paramref name="word"/> occurs in <paramref name="text"/>, overlaps counted (as the source search counts them).</summary>
    private static int Occurrences(ReadOnlySpan<char> text, ReadOnlySpan<char> word)
    {
        int count = 0;
        for (int from = 0; from <= text.Length - word.Length;)
        {
            int hit = text[from..].IndexOf(word, StringComparison.Ordinal);
            if (hit < 0)
                break;
            count++;
            from += hit + 1;
        }
        return count;
    }

    /// <summary>
    /// A bound on the lines a scalar's content spans after its first: each line break in the source becomes a line
    /// break or a space of the value, or, in a run of empty lines, one break for two. A hit beyond it is not the part.
    /// </summary>
    private static int MaxLinesSpanned(string value)
    {
        int breaks = 0;
        foreach (char c in value)
        {
            if (c is '\n' or ' ' or '\t')
                breaks++;
        }
        return 2 * breaks + 2;
    }
}
