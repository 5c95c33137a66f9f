namespace Keyward.Manifests.Yaml;

/// <summary>How a scalar was written; rules read values, but a quoted "true" is a string where a plain true is not.</summary>
public enum ScalarStyle : byte
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// <summary>
/// A node of a manifest's YAML tree with the 1-based line and column where it starts (what a finding points at).
/// Small on purpose: an audit holds hundreds of thousands of them. Trees are read-only once built.
/// </summary>
public abstract class YamlValue
{
    private protected YamlValue(int line, int column, string? tag)
    {
        Line = line;
        Column = column;
        Tag = tag;
    }

    /// <summary>1-based line of the node's first character (its anchor or tag if it has one, as YamlDotNet reports it).</summary>
    public int Line { get; }

    /// <summary>1-based column of the node's first character.</summary>
    public int Column { get; }

    /// <summary>The explicit tag (<c>!!binary</c>, <c>!Ref</c>), or null when the node has none.</summary>
    public string? Tag { get; }

    public SourcePosition Position => new(Line, Column);
}

/// <summary>A scalar; an empty or missing value is the empty string, never null (as YamlDotNet reads it).</summary>
public sealed class YamlScalar : YamlValue
{
    public YamlScalar(string value, int line, int column, ScalarStyle style = ScalarStyle.Plain, string? tag = null)
        : base(line, column, tag)
    {
        Value = value ?? throw new ArgumentNullException(nameof(value));
        Style = style;
    }

    public string Value { get; }

    public ScalarStyle Style { get; }

    /// <summary>YAML null: a plain <c>~</c>, <c>null</c>, <c>Null</c>, <c>NULL</c> or nothing (quoted, they are text).</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string ToString() => Value;
}

/// <summary>A sequence, block or flow.</summary>
public sealed class YamlList : YamlValue
{
    private readonly YamlValue[] _items;

    public YamlList(YamlValue[] items, int line, int column, string? tag = null)
        : base(line, column, tag)
    {
        _items = items ?? throw new ArgumentNullException(nameof(items));
    }

    public int Count => _items.Length;

    public YamlValue this[int index] => _items[index];

    public IReadOnlyList<YamlValue> Items => _items;
}

/// <summary>
/// A mapping with scalar keys, in document order. Keys are unique (a duplicate is a parse error). An entry whose
/// key is not a scalar (<c>? [a, b]</c>) cannot be a Kubernetes field: it is a parse error too, and a second,
/// lenient read of the document leaves it out.
/// </summary>
public sealed class YamlMap : YamlValue
{
    private readonly YamlScalar[] _keys;
    private readonly YamlValue[] _values;

    public YamlMap(YamlScalar[] keys, YamlValue[] values, int line, int column, string? tag = null)
        : base(line, column, tag)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.Length != values.Length)
            throw new ArgumentException("keys and values differ in length", nameof(values));
        _keys = keys;
        _values = values;
    }

    public int Count => _keys.Length;

    public YamlScalar KeyAt(int index) => _keys[index];

    public YamlValue ValueAt(int index) => _values[index];

    /// <summary>Index of <paramref name="key"/>, or -1. A linear scan: manifest mappings are small, and it allocates nothing.</summary>
    public int IndexOf(string key)
    {
        var keys = _keys;
        for (int i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i].Value, key, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    public YamlValue? this[string key]
    {
        get
        {
            int i = IndexOf(key);
            return i < 0 ? null : _values[i];
        }
    }
}
