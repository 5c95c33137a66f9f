using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>A text file being audited: its display path, contents and a line index for positions and excerpts.</summary>
public sealed class SourceText
{
    private int[]? _lineStarts;

    public SourceText(string file, string text, CommitInfo? commit = null, IReadOnlyList<int>? lineNumbers = null)
    {
        File = file;
        Text = text ?? throw new ArgumentNullException(nameof(text));
        Commit = commit;
        LineNumbers = lineNumbers;
    }

    /// <summary>The path shown in findings (relative to the scan root, forward slashes).</summary>
    public string File { get; }

    public string Text { get; }

    /// <summary>For history scans: the commit whose added lines this text holds.</summary>
    public CommitInfo? Commit { get; }

    /// <summary>For history scans: the file line number of each line of <see cref="Text"/> (added lines are not contiguous).</summary>
    public IReadOnlyList<int>? LineNumbers { get; }

    /// <summary>
    /// For a manifest a commit edited (or the index changes), read whole: the file before the change. The commit
    /// answers only for the findings it brought; the others were there before.
    /// </summary>
    public string? PreviousVersion { get; init; }

    private int[] LineStarts => _lineStarts ??= ComputeLineStarts(Text);

    public int LineCount => LineStarts.Length;

    /// <summary>1-based line and column of a character offset, mapped to file lines for history texts.</summary>
    public SourcePosition PositionOf(int offset)
    {
        var starts = LineStarts;
        int index = Array.BinarySearch(starts, offset);
        if (index < 0)
            index = ~index - 1;
        int line = index + 1;
        if (LineNumbers is { } numbers && index < numbers.Count)
            line = numbers[index];
        return new SourcePosition(line, offset - starts[index] + 1);
    }

    /// <summary>The text of a 1-based line of <see cref="Text"/> (not mapped), without its line break.</summary>
    public ReadOnlySpan<char> Line(int line)
    {
        var starts = LineStarts;
        if (line < 1 || line > starts.Length)
            return [];
        int start = starts[line - 1];
        int end = line < starts.Length ? starts[line] : Text.Length;
        var span = Text.AsSpan(start, end - start);
        return span.TrimEnd("\r\n");
    }

    /// <summary>The line at a file line number (for history texts, the added line with that number).</summary>
    public string? FileLine(int fileLine) => TryFileLine(fileLine, out var line) ? line.ToString() : null;

    /// <summary><see cref="FileLine"/> without allocating: false when the text has no such line.</summary>
    public bool TryFileLine(int fileLine, out ReadOnlySpan<char> line)
    {
        if (LineNumbers is null)
        {
            line = fileLine >= 1 && fileLine <= LineCount ? Line(fileLine) : [];
            return fileLine >= 1 && fileLine <= LineCount;
        }
        for (int i = 0; i < LineNumbers.Count; i++)
        {
            if (LineNumbers[i] == fileLine)
            {
                line = Line(i + 1);
                return true;
            }
        }
        line = [];
        return false;
    }

    public int LineIndexOf(int offset)
    {
        int index = Array.BinarySearch(LineStarts, offset);
        return index < 0 ? ~index - 1 : index;
    }

    public int LineStart(int lineIndex) => LineStarts[lineIndex];

    public int LineEnd(int lineIndex)
    {
        var starts = LineStarts;
        int end = lineIndex + 1 < starts.Length ? starts[lineIndex + 1] : Text.Length;
        while (end > starts[lineIndex] && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
            end--;
        return end;
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int>(Math.Max(16, text.Length / 40)) { 0 };
        var span = text.AsSpan();
        int offset = 0;
        while (true)
        {
            int nl = span[offset..].IndexOf('\n');
            if (nl < 0)
                break;
            offset += nl + 1;
            if (offset <= text.Length)
                starts.Add(offset);
        }
        if (starts.Count > 1 && starts[^1] == text.Length)
            starts.RemoveAt(starts.Count - 1);
        return [.. starts];
    }
}
