using Keyward.Age.Format;
using Keyward.Age.Recipients;

namespace Keyward.Age.Keys;

/// <summary>
/// A key keyward cannot use yet (a post-quantum or plugin identity, a passphrase-protected SSH key), kept in the list
/// so that only a file for it fails, with the reason: age too unlocks an encrypted SSH key only when a stanza is for
/// it, and one key file often holds keys of several kinds. <see cref="AgeDecryptor"/> tries it after every usable
/// identity.
/// </summary>
public sealed class UnusableIdentity : IAgeIdentity
{
    private readonly Func<AgeStanza, bool> _isFor;
    private readonly string _reason;
    private readonly string? _hint;

    /// <param name="stanzaType">the stanza type a file for this key holds, as messages name it</param>
    /// <param name="isFor">whether a stanza is for this key (an SSH key's tag); null: any stanza of <paramref name="stanzaType"/></param>
    /// <param name="reason">why it cannot be used, naming where it came from</param>
    /// <param name="hint">what to do instead</param>
    /// <param name="recipient">its public key, when the file holds it (an OpenSSH key keeps it unencrypted)</param>
    public UnusableIdentity(string stanzaType, Func<AgeStanza, bool>? isFor, string reason, string? hint, IAgeRecipient? recipient = null)
    {
        StanzaType = stanzaType;
        _isFor = isFor ?? (stanza => stanza.Type == stanzaType);
        _reason = reason;
        _hint = hint;
        Recipient = recipient;
    }

    public string StanzaType { get; }

    public IAgeRecipient? Recipient { get; }

    /// <summary>The same key under another name (its file and line, once known).</summary>
    public UnusableIdentity Named(string where) => new(StanzaType, _isFor, $"{where}: {_reason}", _hint, Recipient);

    /// <summary>
    /// The error for asking this key for its recipient (<c>keygen -y</c>, <c>encrypt -i</c>) when its file does not
    /// hold it: a key given that cannot be used, so an input error.
    /// </summary>
    public AgeKeyException NoRecipient() => new($"{_reason}; its public key cannot be read from it",
        "pass its public key instead: -r with the recipient, or -R with a file of it (for an SSH key, ssh-keygen -y -f KEY prints it)");

    /// <summary>The reason, as the error a file for this key gets.</summary>
    public AgeUnsupportedKeyException Refusal() => new(_reason, _hint);

    /// <summary>False for a file not for it; for one that is, the reason it cannot open it.</summary>
    public bool TryUnwrap(IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey)
    {
        foreach (var stanza in stanzas)
        {
            if (_isFor(stanza))
                throw Refusal();
        }
        return false;
    }
}
