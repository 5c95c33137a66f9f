using Keyward.Age.Format;

namespace Keyward.Age.Recipients;

/// <summary>Wraps a file key into one or more stanzas for one recipient.</summary>
public interface IAgeRecipient
{
    /// <summary>The stanza type this recipient writes, e.g. <c>X25519</c>.</summary>
    string StanzaType { get; }

    /// <summary>True for types that must be the only recipient of a file (scrypt).</summary>
    bool MustBeAlone => false;

    IReadOnlyList<AgeStanza> Wrap(ReadOnlySpan<byte> fileKey, RandomSource random);
}

/// <summary>Unwraps a file key from the stanzas of a header.</summary>
public interface IAgeIdentity
{
    /// <summary>The stanza type this identity can open, e.g. <c>X25519</c>.</summary>
    string StanzaType { get; }

    /// <summary>
    /// Tries every stanza in order. Returns true and writes 16 bytes to <paramref name="fileKey"/> on a match,
    /// false if no stanza is for this identity, and throws <see cref="AgeHeaderException"/> when a stanza of
    /// its own type is malformed (a hard error, never a mismatch).
    /// </summary>
    bool TryUnwrap(IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey);
}
