namespace Keyward.Age.Format;

/// <summary>One recipient stanza: <c>-> TYPE ARG...</c> and its body.</summary>
public sealed class AgeStanza
{
    public AgeStanza(string type, IReadOnlyList<string> arguments, byte[] body)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        Type = type;
        Arguments = arguments;
        Body = body;
    }

    /// <summary>The first argument, case-sensitive: <c>x25519</c> is not <c>X25519</c>.</summary>
    public string Type { get; }

    /// <summary>The arguments after the type.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public byte[] Body { get; }
}
