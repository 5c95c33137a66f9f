using Keyward.Core;
using Keyward.Sops.Tree;
using Keyward.Sops.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using ScalarStyle = Keyward.Sops.Tree.ScalarStyle;
using YamlScalarStyle = YamlDotNet.Core.ScalarStyle;

namespace Keyward.Sops.Stores;

/// <summary>
/// Reads YAML into trees from YamlDotNet's event stream with comments (the representation model drops them).
/// Comments are placed in the innermost container whose items start at or left of the comment's column, as sops
/// places head and foot comments; a comment on the same line as a key or item becomes an inline comment just before it.
/// Anchors and aliases are expanded, as sops does, within <see cref="YamlAliasBudget"/>: each alias copies its
/// anchor's node, so a kilobyte of nested aliases would otherwise copy billions of nodes.
/// </summary>
internal sealed class YamlTreeReader
{
    private readonly Parser _parser;
    private readonly string _source;
    private readonly List<(SopsComment Comment, int Column)> _pending = [];
    private readonly Dictionary<string, SopsNode> _anchors = new(StringComparer.Ordinal);
    private List<SopsNode>? _inlineContainer;
    private SopsNode? _inlineTarget;
    private int? _indent;
    private bool? _indentSequences;

    private readonly string _text;

    /// <summary>Nodes the stream may still expand to: each node read costs one, each alias its anchor's whole size.</summary>
    private long _budget;

    private YamlTreeReader(string text, string source)
    {
        _text = text;
        _budget = YamlAliasBudget.For(text.Length);
        _parser = new Parser(new Scanner(new StringReader(text), skipComments: false));
        _source = source;
    }

    public static SopsFile Read(string text, string source)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
            text = text[1..];
        return FastYamlReader.TryRead(text, source) ?? ReadFull(text, source);
    }

    /// <summary>The YamlDotNet-based reader for every YAML (the fast reader is checked against it).</summary>
    internal static SopsFile ReadFull(string text, string source)
    {
        var reader = new YamlTreeReader(text, source);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            throw new KeywardException($"\"{source}\" line {e.Start.Line} column {e.Start.Column}: invalid YAML: {Lower(e.Message)}",
                "fix the YAML syntax", FailureKind.Usage, e);
        }
        catch (Exception e) when (YamlDotNetFailure.IsPositionless(e))
        {
            var at = YamlDotNetFailure.LastParsed(text);
            throw new KeywardException($"\"{source}\" line {at.Line} column {at.Column}: invalid YAML after this point (the YAML reader cannot parse it)",
                "fix the YAML syntax", FailureKind.Usage, e);
        }
    }

    /// <summary>YamlDotNet's reason without its position and without any text it quotes from the input (a secret, maybe).</summary>
    private static string Lower(string message) => ParserMessages.Yaml(message);

    private KeywardException Error(Mark mark, string message) =>
        new($"\"{_source}\" line {mark.Line} column {mark.Column}: {message}", "fix the file", FailureKind.Usage);

    private ParsingEvent Next()
    {
        if (!_parser.MoveNext())
            throw new KeywardException($"\"{_source}\": unexpected end of YAML", "the file is cut short; check that it was copied whole", FailureKind.Usage);
        return _parser.Current!;
    }

    /// <summary>The next non-comment event; comments met on the way are recorded.</summary>
    private ParsingEvent NextContent()
    {
        while (true)
        {
            var ev = Next();
            if (ev is not Comment c)
                return ev;
            var comment = new SopsComment(RawComment(c), c.IsInline) { Line = (int)c.Start.Line, Column = (int)c.Start.Column };
            if (c.IsInline && _inlineContainer is not null && _inlineTarget is not null)
            {
                int at = _inlineContainer.IndexOf(_inlineTarget);
                _inlineContainer.Insert(at < 0 ? _inlineContainer.Count : at, comment);
            }
            else
            {
                comment.Inline = false;
                _pending.Add((comment, (int)c.Start.Column));
            }
        }
    }

    /// <summary>The comment text after '#' as written: YamlDotNet trims the space that sops keeps (and encrypts).</summary>
    private string RawComment(Comment c)
    {
        int start = (int)c.Start.Index;
        if (start < 0 || start >= _text.Length || _text[start] != '#')
            return " " + c.Value;
        int end = _text.IndexOf('\n', start);
        return _text[(start + 1)..(end < 0 ? _text.Length : end)].TrimEnd('\r');
    }

    private SopsFile ReadStream()
    {
        var file = new SopsFile(StoreKind.Yaml, _source);
        var ev = NextContent();
        if (ev is not StreamStart)
            throw Error(ev.Start, "expected the start of a YAML stream");
        while (true)
        {
            ev = NextContent();
            if (ev is StreamEnd)
                break;
            if (ev is not DocumentStart start)
                throw Error(ev.Start, "expected a document");
            file.Documents.Add(ReadDocument(start));
        }
        if (file.Documents.Count == 0)
            file.Documents.Add(new SopsDocument(TakeAllPending(new SopsMapping())));
        else if (_pending.Count > 0)
            TakeAllPending(file.Documents[^1].Root);
        file.Layout = new TreeLayout { Indent = _indent ?? 4, IndentSequences = _indentSequences ?? true };
        return file;
    }

    private SopsDocument ReadDocument(DocumentStart start)
    {
        var ev = NextContent();
        SopsMapping root;
        if (ev is DocumentEnd)
        {
            root = new SopsMapping();
        }
        else
        {
            var node = ReadNode(ev, keyColumn: 0);
            root = node switch
            {
                SopsMapping m => m,
                SopsScalar { Kind: ScalarKind.Null } => new SopsMapping(),
                _ => throw Error(ev.Start, "the top level of a document must be a mapping (sops cannot encrypt a top-level list or scalar)"),
            };
            ev = NextContent();
            if (ev is not DocumentEnd)
                throw Error(ev.Start, "expected the end of the document");
        }
        TakeAllPending(root);
        _inlineContainer = null;
        _inlineTarget = null;
        return new SopsDocument(root) { ExplicitStart = !start.IsImplicit };
    }

    private SopsMapping TakeAllPending(SopsMapping root)
    {
        foreach (var (c, _) in _pending)
            root.Items.Add(c);
        _pending.Clear();
        return root;
    }

    private void FlushPending(List<SopsNode> items, int minColumn) => PendingComments.Flush(_pending, items, minColumn);

    private SopsNode ReadNode(ParsingEvent ev, int keyColumn)
    {
        switch (ev)
        {
            case AnchorAlias alias:
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    throw Error(alias.Start, ParserMessages.UnknownAlias); // the alias's name is the value's text: never shown
                // Counted before it is copied: the copy that would pass the bound is never made.
                Spend(alias.Start, Size(target));
                return target.Clone();
            case Scalar scalar:
                Spend(scalar.Start, 1);
                return Remember(scalar.Anchor, ToScalar(scalar));
            case MappingStart ms:
                Spend(ms.Start, 1);
                return ReadMapping(ms, keyColumn);
            case SequenceStart ss:
                Spend(ss.Start, 1);
                return ReadSequence(ss);
            default:
                throw Error(ev.Start, $"unexpected {ev.GetType().Name}");
        }
    }

    private void Spend(Mark at, long nodes)
    {
        _budget -= nodes;
        if (_budget < 0)
        {
            throw new KeywardException($"\"{_source}\" line {at.Line} column {at.Column}: invalid YAML: {YamlAliasBudget.Exceeded}",
                "its aliases (*name) copy their anchors (&name) over and over; sops files do not need aliases: check where the file came from",
                FailureKind.Usage);
        }
    }

    /// <summary>The nodes a copy of <paramref name="node"/> holds, counted as <see cref="Spend"/> counts them (comments are free).</summary>
    private static long Size(SopsNode node) => node switch
    {
        SopsMapping map => 1 + map.Entries.Sum(e => Size(e.Value)),
        SopsSequence seq => 1 + seq.Values.Sum(Size),
        _ => 1,
    };

    private SopsNode Remember(AnchorName anchor, SopsNode node)
    {
        if (!anchor.IsEmpty)
            _anchors[anchor.Value] = node;
        return node;
    }

    private static SopsScalar ToScalar(Scalar scalar)
    {
        var style = scalar.Style switch
        {
            YamlScalarStyle.SingleQuoted => ScalarStyle.SingleQuoted,
            YamlScalarStyle.DoubleQuoted => ScalarStyle.DoubleQuoted,
            YamlScalarStyle.Literal => ScalarStyle.Literal,
            YamlScalarStyle.Folded => ScalarStyle.Folded,
            _ => ScalarStyle.Plain,
        };
        SopsScalar result;
        if (!scalar.Tag.IsEmpty && scalar.Tag.Value != "!")
        {
            result = YamlScalars.ResolveTagged(scalar.Value, scalar.Tag.Value, style);
            if (!scalar.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
                result.Tag = scalar.Tag.Value;
            else if (result.Kind == ScalarKind.Str && style == ScalarStyle.Plain && YamlScalars.ResolvePlain(scalar.Value).Kind != ScalarKind.Str)
                result.Style = ScalarStyle.DoubleQuoted;
        }
        else if (style == ScalarStyle.Plain)
        {
            result = YamlScalars.ResolvePlain(scalar.Value);
        }
        else
        {
            result = new SopsScalar(ScalarKind.Str, scalar.Value, style);
        }
        result.Line = (int)scalar.Start.Line;
        result.Column = (int)scalar.Start.Column;
        return result;
    }

    private SopsMapping ReadMapping(MappingStart start, int keyColumn)
    {
        var map = new SopsMapping { Line = (int)start.Start.Line, Column = (int)start.Start.Column };
        Remember(start.Anchor, map);
        int column = (int)start.Start.Column;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        bool first = true;
        while (true)
        {
            var ev = NextContent();
            if (ev is MappingEnd)
            {
                FlushPending(map.Items, column);
                return map;
            }
            if (ev is not Scalar keyEvent)
                throw Error(ev.Start, "sops supports only plain string keys (no complex keys or aliases as keys)");
            if (first)
            {
                column = (int)keyEvent.Start.Column;
                if (start.Style != MappingStyle.Flow && keyColumn > 0 && _indent is null && column > keyColumn)
                    _indent = column - keyColumn;
                first = false;
            }
            if (!keys.Add(keyEvent.Value))
                throw Error(keyEvent.Start, $"duplicate key \"{keyEvent.Value}\"");
            FlushPending(map.Items, 0);
            var keyStyle = keyEvent.Style switch
            {
                YamlScalarStyle.SingleQuoted => ScalarStyle.SingleQuoted,
                YamlScalarStyle.DoubleQuoted => ScalarStyle.DoubleQuoted,
                _ => ScalarStyle.Any,
            };
            var entry = new SopsEntry(keyEvent.Value, new SopsScalar(ScalarKind.Null, ""), keyStyle)
            {
                Line = (int)keyEvent.Start.Line,
                Column = (int)keyEvent.Start.Column,
            };
            map.Items.Add(entry);
            _inlineContainer = map.Items;
            _inlineTarget = entry;
            var valueEvent = NextContent();
            if (valueEvent is SequenceStart { Style: SequenceStyle.Block } && _indentSequences is null)
                _indentSequences = valueEvent.Start.Column > keyEvent.Start.Column;
            entry.Value = ReadNode(valueEvent, (int)keyEvent.Start.Column);
        }
    }

    private SopsSequence ReadSequence(SequenceStart start)
    {
        var seq = new SopsSequence { Line = (int)start.Start.Line, Column = (int)start.Start.Column };
        Remember(start.Anchor, seq);
        int column = (int)start.Start.Column;
        while (true)
        {
            var ev = NextContent();
            if (ev is SequenceEnd)
            {
                FlushPending(seq.Items, column);
                return seq;
            }
            FlushPending(seq.Items, 0);
            var placeholder = new SopsScalar(ScalarKind.Null, "");
            seq.Items.Add(placeholder);
            _inlineContainer = seq.Items;
            _inlineTarget = placeholder;
            var node = ReadNode(ev, 0);
            int index = seq.Items.IndexOf(placeholder);
            seq.Items[index] = node;
            if (ReferenceEquals(_inlineTarget, placeholder))
                _inlineTarget = node;
        }
    }
}
