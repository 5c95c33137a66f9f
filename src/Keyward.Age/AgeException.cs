namespace Keyward.Age;

/// <summary>
/// Base of every error the age library raises on bad input. <see cref="Hint"/> says what the user can do;
/// the CLI prints it as <c>keyward: hint: ...</c>. Messages are lowercase, age style, and never contain key material.
/// </summary>
public class AgeException : Exception
{
    public AgeException(string message, string? hint = null, Exception? inner = null)
        : base(message, inner) => Hint = hint;

    public AgeException() : base("age error") { }

    public AgeException(string message) : base(message) { }

    public AgeException(string message, Exception inner) : base(message, inner) { }

    /// <summary>What the user can do about it, or null.</summary>
    public string? Hint { get; }
}

/// <summary>The header is malformed, or a stanza of a known type is invalid (a hard error, not a mismatch).</summary>
public sealed class AgeHeaderException : AgeException
{
    public AgeHeaderException(string message, string? hint = null, Exception? inner = null) : base(message, hint, inner) { }

    public AgeHeaderException() { }

    public AgeHeaderException(string message) : base(message) { }

    public AgeHeaderException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A file key was unwrapped, but the header MAC does not match: the header was altered.</summary>
public sealed class AgeHeaderMacException : AgeException
{
    public AgeHeaderMacException() : base("bad header MAC", "the file header was modified or damaged; no plaintext was released") { }

    public AgeHeaderMacException(string message) : base(message) { }

    public AgeHeaderMacException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The header is valid, but none of the identities unwraps any stanza.</summary>
public sealed class AgeNoIdentityMatchException : AgeException
{
    public AgeNoIdentityMatchException(string message, string? hint, IReadOnlyList<string> stanzaTypes)
        : base(message, hint) => StanzaTypes = stanzaTypes;

    public AgeNoIdentityMatchException() : this("no identity matched any of the recipients", null, []) { }

    public AgeNoIdentityMatchException(string message) : this(message, null, []) { }

    public AgeNoIdentityMatchException(string message, Exception inner) : base(message, inner) => StanzaTypes = [];

    /// <summary>The recipient stanza types the file has, in header order.</summary>
    public IReadOnlyList<string> StanzaTypes { get; }
}

/// <summary>The payload failed to authenticate, was truncated or has trailing data. Chunks released before it were authentic.</summary>
public sealed class AgePayloadException : AgeException
{
    public AgePayloadException(string message, string? hint = null) : base(message, hint) { }

    public AgePayloadException() { }

    public AgePayloadException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The ASCII armor around the file is invalid.</summary>
public sealed class AgeArmorException : AgeException
{
    public AgeArmorException(string message, string? hint = null) : base(message, hint) { }

    public AgeArmorException() { }

    public AgeArmorException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A key, key file or recipient string could not be used.</summary>
public sealed class AgeKeyException : AgeException
{
    public AgeKeyException(string message, string? hint = null, Exception? inner = null) : base(message, hint, inner) { }

    public AgeKeyException() { }

    public AgeKeyException(string message) : base(message) { }

    public AgeKeyException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The file is for a key that was given, but of a kind keyward cannot use yet (post-quantum, plugin, a locked SSH key).</summary>
public sealed class AgeUnsupportedKeyException : AgeException
{
    public AgeUnsupportedKeyException(string message, string? hint = null) : base(message, hint) { }

    public AgeUnsupportedKeyException() { }

    public AgeUnsupportedKeyException(string message, Exception inner) : base(message, inner) { }
}
