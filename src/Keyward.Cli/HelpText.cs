using System.CommandLine;
using System.Text;

namespace Keyward.Cli;

/// <summary>
/// System.CommandLine lists subcommands with their arguments as if every one were required (<c>keygen &lt;INPUT&gt;</c>)
/// and gives no public way to change that row; the command's own usage line brackets the optional ones. This
/// rewrites the list's labels the same way (<c>keygen [&lt;INPUT&gt;]</c>) and realigns the descriptions.
/// </summary>
internal static class HelpText
{
    public static string MarkOptionalArguments(string help, Command command)
    {
        var relabel = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sub in command.Subcommands)
        {
            if (!sub.Hidden && sub.Arguments.Any(a => !a.Hidden && a.Arity.MinimumNumberOfValues == 0))
                relabel[Label(sub, bracketOptional: false)] = Label(sub, bracketOptional: true);
        }
        var lines = help.Split('\n');
        int section = Array.FindIndex(lines, l => l.TrimEnd('\r') == "Commands:");
        if (relabel.Count == 0 || section < 0)
            return help;
        int end = section + 1;
        while (end < lines.Length && lines[end].StartsWith("  ", StringComparison.Ordinal))
            end++;

        // The description column: where the text after the first row's label starts.
        int column = DescriptionColumn(lines[section + 1]);
        if (column < 0)
            return help;
        int newColumn = column;
        for (int i = section + 1; i < end; i++)
        {
            if (RowLabel(lines[i], column) is { } label && relabel.TryGetValue(label, out var marked))
                newColumn = Math.Max(newColumn, 2 + marked.Length + 2);
        }
        var output = new StringBuilder(help.Length + 64);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i > section && i < end && line.Length >= column)
            {
                var label = RowLabel(line, column);
                var shown = label is not null && relabel.TryGetValue(label, out var marked) ? marked : label;
                line = shown is null
                    ? new string(' ', newColumn) + line[column..] // a description's continuation line
                    : "  " + shown.PadRight(newColumn - 2) + line[column..];
            }
            output.Append(line);
            if (i < lines.Length - 1)
                output.Append('\n');
        }
        return output.ToString();
    }

    private static string Label(Command command, bool bracketOptional)
    {
        var parts = new List<string> { command.Name };
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            var name = $"<{argument.HelpName ?? argument.Name}>";
            parts.Add(bracketOptional && argument.Arity.MinimumNumberOfValues == 0 ? $"[{name}]" : name);
        }
        return string.Join(' ', parts);
    }

    /// <summary>The label of a row ("  keygen &lt;INPUT&gt;   Generate..."), or null for a description's continuation line.</summary>
    private static string? RowLabel(string line, int column) =>
        line.Length > 2 && line[2] != ' ' ? line[2..column].TrimEnd() : null;

    private static int DescriptionColumn(string row)
    {
        int gap = row.IndexOf("  ", 2, StringComparison.Ordinal);
        if (gap < 0)
            return -1;
        int column = gap;
        while (column < row.Length && row[column] == ' ')
            column++;
        return column;
    }
}
