namespace Keyward.Manifests.Yaml;

/// <summary>
/// Reads what can be read of a stream that has an error in it. kubectl decodes each document of a stream on its own,
/// so one broken document hides nothing after it; an audit that stopped there lost the plaintext Secret that followed
/// a duplicate key. A document with a duplicate key is read as Kubernetes' YAML library reads it, the last value
/// winning, and the error is still reported. A file of JSON values one after another (<c>kubectl get -o json &gt;&gt;
/// file</c>), which kubectl reads value by value and YAML calls an error, is read value by value too. Only a stream
/// with an error comes here, so the common path pays nothing.
/// </summary>
internal static class StreamRecovery
{
    public static (List<YamlValue> Documents, List<YamlSyntaxError> Errors) Read(string text, YamlSyntaxError firstError)
    {
        var documents = new List<YamlValue>();
        var errors = new List<YamlSyntaxError>();
        var parts = JsonValues(text) is { Count: > 1 } values ? values : YamlDocumentParts(text);
        int line = 1, lineStart = 0, counted = 0; // lines counted up to the part, once over the whole text
        foreach (var (start, end) in parts)
        {
            for (int newline; (newline = text.IndexOf('\n', counted, start - counted)) >= 0; counted = newline + 1)
            {
                line++;
                lineStart = newline + 1;
            }
            counted = start;
            int column = start - lineStart + 1;
            var part = text[start..end];
            var (read, error) = YamlDocuments.Read(part);
            if (error is not null)
            {
                errors.Add(error with { Position = Shift(error.Position, line, column) });
                // Mostly a duplicate key: what kubectl applies all the same, so the rules see it.
                read = FastManifestReader.TryRead(part, lastKeyWins: true)
                    ?? (YamlDotNetConverter.ReadStream(part, lastKeyWins: true) is ({ } lenient, null) ? lenient : read);
            }
            var shift = new Shifter(line - 1, column - 1);
            foreach (var document in read)
                documents.Add(shift.Apply(document));
        }
        // Every part reads alone while the whole does not: nothing to add to the first answer but its error.
        if (errors.Count == 0 && parts.Count <= 1)
            errors.Add(firstError);
        return (documents, errors);
    }

    /// <summary>
    /// The documents as kubectl splits them: at each line that starts with <c>---</c>, directives (<c>%YAML</c>) and
    /// comments before a marker going with the document it starts. A marker line cannot be inside a block scalar or a
    /// quoted one (YAML ends them there), so the split never cuts a value.
    /// </summary>
    private static List<(int Start, int End)> YamlDocumentParts(string text)
    {
        var parts = new List<(int, int)>();
        int partStart = 0;
        bool content = false; // the current part holds more than directives, comments and blank lines
        for (int lineStart = 0; lineStart < text.Length;)
        {
            int newline = text.IndexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(lineStart, lineEnd - lineStart).TrimEnd('\r');
            if (IsMarker(line, "---") && content)
            {
                parts.Add((partStart, lineStart));
                partStart = lineStart;
                content = false;
            }
            var trimmed = line.TrimStart(" \t");
            if (!trimmed.IsEmpty && trimmed[0] != '#' && !(line[0] == '%' && !content))
                content = true;
            lineStart = lineEnd + 1;
        }
        parts.Add((partStart, text.Length));
        return parts;
    }

    private static bool IsMarker(ReadOnlySpan<char> line, string marker) =>
        line.StartsWith(marker, StringComparison.Ordinal) && (line.Length == marker.Length || line[marker.Length] is ' ' or '\t');

    /// <summary>
    /// The top-level values of a text made of JSON values and whitespace only; null when it is not one (a quote or a
    /// bracket left open, or anything between the values). Strings are skipped with their escapes.
    /// </summary>
    private static List<(int Start, int End)>? JsonValues(string text)
    {
        var values = new List<(int, int)>();
        int depth = 0, start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (depth == 0)
            {
                if (c is ' ' or '\t' or '\r' or '\n')
                    continue;
                if (c is not ('{' or '['))
                    return null;
                start = i;
            }
            switch (c)
            {
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (--depth == 0)
                        values.Add((start, i + 1));
                    break;
                case '"':
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\')
                            i++;
                    }
                    if (i >= text.Length)
                        return null;
                    break;
            }
        }
        return depth == 0 ? values : null;
    }

    private static SourcePosition Shift(SourcePosition p, int line, int column) =>
        new(p.Line + line - 1, p.Line == 1 ? p.Column + column - 1 : p.Column);

    /// <summary>A tree read from a part, moved to where the part starts in the file (columns only on its first line).</summary>
    private sealed class Shifter(int lines, int columns)
    {
        private readonly Dictionary<YamlValue, YamlValue> _done = new(ReferenceEqualityComparer.Instance); // aliases share nodes

        public YamlValue Apply(YamlValue value)
        {
            if (lines == 0 && columns == 0)
                return value;
            if (_done.TryGetValue(value, out var moved))
                return moved;
            int line = value.Line + lines, column = value.Line == 1 ? value.Column + columns : value.Column;
            moved = value switch
            {
                YamlScalar s => new YamlScalar(s.Value, line, column, s.Style, s.Tag),
                YamlList l => new YamlList([.. l.Items.Select(Apply)], line, column, l.Tag),
                YamlMap m => new YamlMap(
                    [.. Enumerable.Range(0, m.Count).Select(i => (YamlScalar)Apply(m.KeyAt(i)))],
                    [.. Enumerable.Range(0, m.Count).Select(i => Apply(m.ValueAt(i)))], line, column, m.Tag),
                _ => value,
            };
            _done[value] = moved;
            return moved;
        }
    }
}
