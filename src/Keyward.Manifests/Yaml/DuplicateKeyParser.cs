using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Keyward.Manifests.Yaml;

/// <summary>
/// YamlDotNet's parser with each repeated key of a mapping renamed (<c>type</c>, then <c>type\0 2</c>): YamlDotNet
/// refuses a duplicate key while building its tree, and a document with one is read, for the audit, as Kubernetes'
/// YAML library reads it, the last value winning (<see cref="DuplicateKeys.Resolve"/> undoes the renaming). NUL cannot
/// occur in a YAML scalar, so a renamed key is never a real one.
/// </summary>
internal sealed class DuplicateKeyParser(IParser inner) : IParser
{
    private sealed class Frame(bool mapping)
    {
        public bool Mapping { get; } = mapping;
        public bool AtKey { get; set; } = mapping;
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }

    private readonly Stack<Frame> _frames = new();
    private int _renamed;

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        if (!inner.MoveNext())
            return false;
        Current = inner.Current;
        switch (Current)
        {
            case MappingStart:
                _frames.Push(new Frame(mapping: true));
                break;
            case SequenceStart:
                _frames.Push(new Frame(mapping: false));
                break;
            case MappingEnd or SequenceEnd:
                _frames.Pop();
                Completed();
                break;
            case Scalar scalar:
                // A merge key (<<) twice is not renamed: YamlDotNet's error stands.
                if (_frames.TryPeek(out var frame) && frame.AtKey && scalar.Value != "<<" && !frame.Keys.Add(scalar.Value))
                    Current = new Scalar(scalar.Anchor, scalar.Tag, $"{scalar.Value}{DuplicateKeys.Marker}{++_renamed}", scalar.Style,
                        scalar.IsPlainImplicit, scalar.IsQuotedImplicit, scalar.Start, scalar.End, scalar.IsKey);
                Completed();
                break;
            case AnchorAlias:
                Completed();
                break;
        }
        return true;
    }

    /// <summary>A node ended: in a mapping, a key is followed by its value and a value by the next key.</summary>
    private void Completed()
    {
        if (_frames.TryPeek(out var frame) && frame.Mapping)
            frame.AtKey = !frame.AtKey;
    }
}

/// <summary>
/// A mapping read with a duplicate key as Kubernetes' YAML library reads it: the last value of a key wins. Both readers
/// build mappings this way on their second try at a document (<see cref="FastManifestReader"/> and YamlDotNet through
/// <see cref="DuplicateKeyParser"/>, whose renaming <see cref="AddRenamed"/> undoes).
/// </summary>
internal static class DuplicateKeys
{
    public const char Marker = '\0';

    /// <summary>Adds an entry; a repeat of a key replaces the entry before it (and keeps its own position).</summary>
    public static void AddLast(List<YamlScalar> keys, List<YamlValue> values, YamlScalar key, YamlValue value)
    {
        int earlier = keys.FindIndex(k => k.Value == key.Value);
        if (earlier >= 0)
        {
            keys.RemoveAt(earlier);
            values.RemoveAt(earlier);
        }
        keys.Add(key);
        values.Add(value);
    }

    /// <summary><see cref="AddLast"/> for a key <see cref="DuplicateKeyParser"/> may have renamed.</summary>
    public static void AddRenamed(List<YamlScalar> keys, List<YamlValue> values, YamlScalar key, YamlValue value)
    {
        int marker = key.Value.IndexOf(Marker, StringComparison.Ordinal);
        if (marker >= 0)
            key = new YamlScalar(key.Value[..marker], key.Line, key.Column, key.Style, key.Tag);
        AddLast(keys, values, key, value);
    }
}
