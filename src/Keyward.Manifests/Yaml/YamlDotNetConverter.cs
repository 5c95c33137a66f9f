using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using DotNetScalarStyle = YamlDotNet.Core.ScalarStyle;

namespace Keyward.Manifests.Yaml;

/// <summary>
/// Turns YamlDotNet's representation model into Keyward's tree. YamlDotNet is the full YAML 1.1 reader the fast
/// reader falls back to, and the reference the fast reader is tested against. Because the fallback gets exactly
/// the unusual inputs, it is guarded: aliases may not refer to themselves or expand past a budget (the "billion
/// laughs": <see cref="Keyward.Core.YamlAliasBudget"/>, the SOPS YAML store's too), flow nesting is bounded, and
/// YamlDotNet runs on a thread with a large stack, since it recurses.
/// </summary>
internal static class YamlDotNetConverter
{
    /// <summary>Deepest flow nesting handed to YamlDotNet; deeper input is refused before it is parsed.</summary>
    internal const int MaxFlowDepth = 1000;

    private const int StackBytes = 64 * 1024 * 1024;

    /// <summary>Reads every document with YamlDotNet. Documents read before an error are kept.</summary>
    /// <param name="text">the stream</param>
    /// <param name="lastKeyWins">read a duplicate key as Kubernetes' YAML library does, the last value winning,
    /// instead of calling it an error, and drop an entry whose key is not a string (the audit's second try at a
    /// document)</param>
    public static (List<YamlValue> Documents, YamlSyntaxError? Error) ReadStream(string text, bool lastKeyWins = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TooDeep(text) is { } deep)
            return ([], new YamlSyntaxError(deep, $"flow collections nested deeper than {MaxFlowDepth} levels"));
        (List<YamlValue>, YamlSyntaxError?) result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = ReadOnThisThread(text, lastKeyWins);
            }
#pragma warning disable CA1031 // Handed back to the caller's thread unchanged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        }, StackBytes);
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return result;
    }

    /// <summary>
    /// A position for an error YamlDotNet throws without one (its start and end both at the very beginning): an
    /// unknown alias where it is written, anything else where the last event it can read ends.
    /// </summary>
    private static SourcePosition Unplaced(string text, YamlException e)
    {
        if (e is AnchorNotFoundException && e.Message.Split('\'') is [_, var anchor, ..] && anchor.Length > 0)
        {
            int at = text.IndexOf("*" + anchor, StringComparison.Ordinal);
            if (at >= 0)
            {
                int line = 1 + text.AsSpan(0, at).Count('\n');
                return new SourcePosition(line, at - (text.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1) + 1);
            }
        }
        var last = LastParsed(text);
        return e.Message.Contains("tab", StringComparison.Ordinal) && TabIndentation(text, last.Line) is { } tab ? tab : last;
    }

    /// <summary>The first tab in the indentation of a line from <paramref name="fromLine"/> on, or null.</summary>
    private static SourcePosition? TabIndentation(string text, int fromLine)
    {
        int line = 1;
        for (int start = 0; start < text.Length; line++)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
                end = text.Length;
            if (line >= fromLine)
            {
                for (int i = start; i < end && text[i] is ' ' or '\t'; i++)
                {
                    if (text[i] == '\t')
                        return new SourcePosition(line, i - start + 1);
                }
            }
            start = end + 1;
        }
        return null;
    }

    /// <summary>Where the last event YamlDotNet can read ends (line 1, column 1 when it reads none).</summary>
    private static SourcePosition LastParsed(string text)
    {
        var parser = new Parser(new StringReader(text));
        var last = new SourcePosition(1, 1);
        try
        {
            while (parser.MoveNext())
                last = new SourcePosition((int)parser.Current!.End.Line, (int)parser.Current.End.Column);
        }
#pragma warning disable CA1031 // Only the position is wanted: the error is reported by the caller.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return last;
    }

    private static (List<YamlValue>, YamlSyntaxError?) ReadOnThisThread(string text, bool lastKeyWins)
    {
        var stream = new YamlStream();
        YamlSyntaxError? error = null;
        try
        {
            IParser parser = new Parser(new StringReader(text));
            stream.Load(lastKeyWins ? new DuplicateKeyParser(parser) : parser);
        }
        catch (YamlException e)
        {
            error = new YamlSyntaxError(e.Start.Index == 0 && e.End.Index == 0 ? Unplaced(text, e) : new SourcePosition((int)e.Start.Line, (int)e.Start.Column), Keyward.Core.ParserMessages.Yaml(e.Message));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way on a few malformed streams ("...\na: b", "a: [x,\ny]", "a:\n  - b\n  [  c"), and
            // says nowhere: the error is put where the last event it could read ends.
            error = new YamlSyntaxError(LastParsed(text), "invalid YAML after this point (the YAML reader cannot parse it)");
        }
        var documents = new List<YamlValue>(stream.Documents.Count);
        long budget = Keyward.Core.YamlAliasBudget.For(text.Length);
        foreach (var document in stream.Documents)
        {
            var converter = new Converter(budget, lastKeyWins);
            try
            {
                documents.Add(converter.Convert(document.RootNode));
            }
            catch (AliasException e)
            {
                return (documents, new YamlSyntaxError(e.Position, e.Message));
            }
            budget -= converter.Expanded;
        }
        return (documents, error);
    }

    private sealed class AliasException(SourcePosition position, string message) : Exception(message)
    {
        public SourcePosition Position { get; } = position;
    }

    /// <summary>Converts one document; a node reached twice (an alias) becomes the same tree, counted at its full size.</summary>
    private sealed class Converter(long budget, bool lastKeyWins)
    {
        private readonly Dictionary<YamlNode, (YamlValue Value, long Size)> _done = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<YamlNode> _open = new(ReferenceEqualityComparer.Instance);

        public long Expanded { get; private set; }

        public YamlValue Convert(YamlNode node) => Visit(node).Value;

        private (YamlValue Value, long Size) Visit(YamlNode node)
        {
            if (_done.TryGetValue(node, out var seen))
                return Count(node, seen);
            if (!_open.Add(node))
                throw new AliasException(Position(node), "an alias refers to the node that contains it");
            int line = (int)node.Start.Line, column = (int)node.Start.Column;
            string? tag = node.Tag.IsEmpty ? null : node.Tag.Value;
            long size = 1;
            YamlValue value;
            switch (node)
            {
                case YamlScalarNode scalar:
                    value = new YamlScalar(scalar.Value ?? "", line, column, Style(scalar.Style), tag);
                    break;
                case YamlSequenceNode sequence:
                    var items = new YamlValue[sequence.Children.Count];
                    for (int i = 0; i < items.Length; i++)
                    {
                        var (child, childSize) = Visit(sequence.Children[i]);
                        items[i] = child;
                        size += childSize;
                    }
                    value = new YamlList(items, line, column, tag);
                    break;
                case YamlMappingNode mapping:
                    var keys = new List<YamlScalar>(mapping.Children.Count);
                    var values = new List<YamlValue>(mapping.Children.Count);
                    List<(int At, YamlMap From)>? merges = null;
                    foreach (var (k, v) in mapping.Children)
                    {
                        // Kubernetes reads every key as a string and refuses the file ("invalid map key"); an entry
                        // dropped without a word would vanish from what seal writes. The lenient second read drops it.
                        if (k is not YamlScalarNode keyNode)
                        {
                            if (lastKeyWins)
                                continue;
                            throw new AliasException(Position(k), "a mapping key that is a list or a mapping, not a string (Kubernetes refuses such a file)");
                        }
                        var (key, keySize) = Visit(k);
                        var (child, childSize) = Visit(v);
                        size += keySize + childSize;
                        if (IsMergeKey(keyNode))
                        {
                            foreach (var from in MergeSources(child, v))
                                (merges ??= []).Add((keys.Count, from));
                            continue;
                        }
                        if (lastKeyWins)
                        {
                            DuplicateKeys.AddRenamed(keys, values, (YamlScalar)key, child);
                            continue;
                        }
                        keys.Add((YamlScalar)key);
                        values.Add(child);
                    }
                    if (merges is not null)
                        Merge(keys, values, merges);
                    value = new YamlMap([.. keys], [.. values], line, column, tag);
                    break;
                default:
                    throw new AliasException(Position(node), $"unexpected YAML node {node.NodeType}");
            }
            _open.Remove(node);
            _done[node] = (value, size);
            Expanded += 1;
            return (value, size);
        }

        /// <summary>
        /// <c>&lt;&lt;</c> as a plain key, or tagged <c>!!merge</c>: YAML 1.1's merge key, which kubectl and Helm (go-yaml)
        /// apply. Quoted, it is an ordinary key.
        /// </summary>
        private static bool IsMergeKey(YamlScalarNode key) =>
            key.Value == "<<" && (key.Tag.IsEmpty ? key.Style is DotNetScalarStyle.Plain or DotNetScalarStyle.Any : key.Tag.Value == MergeTag);

        private const string MergeTag = "tag:yaml.org,2002:merge";

        private static IEnumerable<YamlMap> MergeSources(YamlValue value, YamlNode node) => value switch
        {
            YamlMap map => [map],
            YamlList list when list.Items.All(i => i is YamlMap) => list.Items.Cast<YamlMap>(),
            _ => throw new AliasException(Position(node), "a merge key (<<) takes a mapping or a list of mappings"),
        };

        /// <summary>
        /// Adds, where each <c>&lt;&lt;</c> stood, the merged entries whose keys the mapping does not set itself; of two
        /// merged maps that set one key, the first listed wins (the YAML 1.1 merge rules, as go-yaml applies them).
        /// </summary>
        private static void Merge(List<YamlScalar> keys, List<YamlValue> values, List<(int At, YamlMap From)> merges)
        {
            var taken = new HashSet<string>(keys.Select(k => k.Value), StringComparer.Ordinal);
            var mergedKeys = new List<YamlScalar>(keys.Count);
            var mergedValues = new List<YamlValue>(values.Count);
            int next = 0;
            for (int i = 0; i <= keys.Count; i++)
            {
                for (; next < merges.Count && merges[next].At == i; next++)
                {
                    var from = merges[next].From;
                    for (int e = 0; e < from.Count; e++)
                    {
                        if (taken.Add(from.KeyAt(e).Value))
                        {
                            mergedKeys.Add(from.KeyAt(e));
                            mergedValues.Add(from.ValueAt(e));
                        }
                    }
                }
                if (i < keys.Count)
                {
                    mergedKeys.Add(keys[i]);
                    mergedValues.Add(values[i]);
                }
            }
            keys.Clear();
            keys.AddRange(mergedKeys);
            values.Clear();
            values.AddRange(mergedValues);
        }

        /// <summary>A node met again through an alias costs its whole expanded size, as a reader that copies it would pay.</summary>
        private (YamlValue, long) Count(YamlNode node, (YamlValue Value, long Size) seen)
        {
            Expanded += seen.Size;
            if (Expanded > budget)
                throw new AliasException(Position(node), Keyward.Core.YamlAliasBudget.Exceeded);
            return seen;
        }

        private static SourcePosition Position(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);
    }

    private static ScalarStyle Style(DotNetScalarStyle style) => style switch
    {
        DotNetScalarStyle.SingleQuoted => ScalarStyle.SingleQuoted,
        DotNetScalarStyle.DoubleQuoted => ScalarStyle.DoubleQuoted,
        DotNetScalarStyle.Literal => ScalarStyle.Literal,
        DotNetScalarStyle.Folded => ScalarStyle.Folded,
        _ => ScalarStyle.Plain,
    };

    /// <summary>
    /// Where flow nesting first passes <see cref="MaxFlowDepth"/>, or null. Quotes and comments are skipped roughly;
    /// it only has to bound what reaches YamlDotNet's recursive parser.
    /// </summary>
    internal static SourcePosition? TooDeep(string text)
    {
        int depth = 0, line = 1, lineStart = 0;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                if (quote == '\0')
                    continue;
            }
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                    i++;
                else if (c == quote)
                    quote = '\0';
                continue;
            }
            switch (c)
            {
                case '"' or '\'' when i == lineStart || text[i - 1] is ' ' or '\t' or '[' or '{' or ',' or ':':
                    quote = c;
                    break;
                case '#' when i == lineStart || text[i - 1] is ' ' or '\t':
                    int end = text.IndexOf('\n', i);
                    i = (end < 0 ? text.Length : end) - 1;
                    break;
                case '[' or '{':
                    if (++depth > MaxFlowDepth)
                        return new SourcePosition(line, i - lineStart + 1);
                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }
        return null;
    }
}
