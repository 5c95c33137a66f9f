using System.Text;

namespace Keyward.Sops.Tree;

/// <summary>The value kinds sops distinguishes; each has a fixed plaintext form (see <see cref="SopsScalar.Text"/>).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are sops's own type names (int, float).")]
public enum ScalarKind
{
    Null,
    Str,
    Int,
    Float,
    Bool,
    Time,
    Bytes,
}

/// <summary>How a scalar was written in YAML, kept so that plaintext values come back as they were.</summary>
public enum ScalarStyle
{
    Any,
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// <summary>A node of the document tree every store reads into and writes from. Positions are 1-based, 0 when unknown.</summary>
public abstract class SopsNode
{
    public int Line { get; set; }

    public int Column { get; set; }

    public abstract SopsNode Clone();
}

/// <summary>
/// A leaf. <see cref="Text"/> is the sops plaintext form: the bytes the MAC hashes and the value encrypts
/// (int as decimal, float as Go's shortest 'f' form, bool as True/False, time as RFC 3339 with nanoseconds).
/// </summary>
public sealed class SopsScalar : SopsNode
{
    public SopsScalar(ScalarKind kind, string text, ScalarStyle style = ScalarStyle.Any)
    {
        Kind = kind;
        Text = text;
        Style = style;
    }

    public ScalarKind Kind { get; set; }

    public string Text { get; set; }

    /// <summary>The value is ciphertext (<c>ENC[...]</c>), as sops writes it.</summary>
    public bool IsEncrypted => Text.StartsWith("ENC[", StringComparison.Ordinal);

    /// <summary>Plaintext bytes when they are not valid UTF-8 (binary store, the <c>bytes</c> type).</summary>
    public byte[]? RawBytes { get; set; }

    public ScalarStyle Style { get; set; }

    /// <summary>The literal as written (plain YAML scalars, JSON numbers), re-emitted while the value is unchanged.</summary>
    public string? Source { get; set; }

    /// <summary>An explicit YAML tag as written (<c>!!str</c>, <c>!secret</c>), kept on plaintext output.</summary>
    public string? Tag { get; set; }

    public byte[] PlaintextBytes() => RawBytes ?? Encoding.UTF8.GetBytes(Text);

    public static SopsScalar Str(string text) => new(ScalarKind.Str, text);

    public override SopsNode Clone() => new SopsScalar(Kind, Text, Style)
    {
        RawBytes = RawBytes,
        Source = Source,
        Tag = Tag,
        Line = Line,
        Column = Column,
    };
}

/// <summary>A comment, as sops keeps it: the text after the comment marker, so usually with a leading space.</summary>
public sealed class SopsComment : SopsNode
{
    public SopsComment(string text, bool inline = false)
    {
        Text = text;
        Inline = inline;
    }

    public string Text { get; set; }

    /// <summary>Written at the end of the next item's first line rather than on a line of its own.</summary>
    public bool Inline { get; set; }

    public bool IsEncrypted => Text.StartsWith("ENC[", StringComparison.Ordinal);

    public override SopsNode Clone() => new SopsComment(Text, Inline) { Line = Line, Column = Column };
}

/// <summary>A key and its value inside a <see cref="SopsMapping"/>.</summary>
public sealed class SopsEntry : SopsNode
{
    public SopsEntry(string key, SopsNode value, ScalarStyle keyStyle = ScalarStyle.Any)
    {
        Key = key;
        Value = value;
        KeyStyle = keyStyle;
    }

    public string Key { get; set; }

    public SopsNode Value { get; set; }

    public ScalarStyle KeyStyle { get; set; }

    public override SopsNode Clone() => new SopsEntry(Key, Value.Clone(), KeyStyle) { Line = Line, Column = Column };
}

/// <summary>An ordered mapping: <see cref="SopsEntry"/> items and <see cref="SopsComment"/> items in document order.</summary>
public sealed class SopsMapping : SopsNode
{
    public List<SopsNode> Items { get; } = [];

    public IEnumerable<SopsEntry> Entries => Items.OfType<SopsEntry>();

    public SopsEntry? Find(string key) => Items.OfType<SopsEntry>().FirstOrDefault(e => e.Key == key);

    public SopsNode? this[string key] => Find(key)?.Value;

    public bool Remove(string key)
    {
        var entry = Find(key);
        return entry is not null && Items.Remove(entry);
    }

    public void Set(string key, SopsNode value)
    {
        var entry = Find(key);
        if (entry is null)
            Items.Add(new SopsEntry(key, value));
        else
            entry.Value = value;
    }

    public override SopsNode Clone()
    {
        var copy = new SopsMapping { Line = Line, Column = Column };
        copy.Items.AddRange(Items.Select(i => i.Clone()));
        return copy;
    }
}

/// <summary>A sequence: values and <see cref="SopsComment"/> items in document order.</summary>
public sealed class SopsSequence : SopsNode
{
    public List<SopsNode> Items { get; } = [];

    public IEnumerable<SopsNode> Values => Items.Where(i => i is not SopsComment);

    public override SopsNode Clone()
    {
        var copy = new SopsSequence { Line = Line, Column = Column };
        copy.Items.AddRange(Items.Select(i => i.Clone()));
        return copy;
    }
}

/// <summary>One document of a file (YAML files may hold several); the root is always a mapping.</summary>
public sealed class SopsDocument
{
    public SopsDocument(SopsMapping root) => Root = root;

    public SopsMapping Root { get; set; }

    /// <summary>The document began with an explicit <c>---</c>.</summary>
    public bool ExplicitStart { get; set; }

    public SopsDocument Clone() => new((SopsMapping)Root.Clone()) { ExplicitStart = ExplicitStart };
}

/// <summary>Layout facts a YAML or JSON file had, so that writing it back changes as little as possible.</summary>
public sealed record TreeLayout
{
    /// <summary>Spaces per nesting level (YAML) or per JSON level; 0 means a tab in JSON.</summary>
    public int Indent { get; init; } = 4;

    /// <summary>YAML: sequences under a key are indented (<c>key:\n    - x</c>, as sops writes) rather than flush.</summary>
    public bool IndentSequences { get; init; } = true;

    /// <summary>The file ended with a newline (JSON from sops before 3.13 did not).</summary>
    public bool FinalNewline { get; init; } = true;
}
