using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Keyward.Core;
using Keyward.Sops.Crypto;
using Keyward.Sops.Metadata;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Engine;

/// <summary>
/// Walks the documents in order, encrypting or decrypting each leaf that the crypt rule selects and hashing every
/// leaf's plaintext for the MAC exactly as sops does: SHA-512 over the plaintext bytes of all non-null, non-comment
/// leaves across all documents, no separators; with <c>mac_only_encrypted</c>, SHA-256("sops") first and encrypted
/// leaves only. The AAD is the mapping keys of the path joined with ':' plus a final ':' (list indices excluded).
/// </summary>
internal sealed class TreeCipher : IDisposable
{
    private static readonly byte[] MacOnlyEncryptedInit = SHA256.HashData("sops"u8);
    private readonly SopsValueCipher _cipher;
    private readonly CryptRules _rules;
    private readonly bool _macOnlyEncrypted;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
    private readonly string _source;
    private readonly bool _encrypting;
    private readonly ValueStash? _stash;
    private readonly List<string> _path = [];
    private readonly List<(string? Key, int Index)> _display = [];
    private readonly List<List<string>> _comments = [];
    private readonly StringBuilder _aad = new();

    public TreeCipher(SopsValueCipher cipher, SopsMetadata metadata, bool encrypting, string source, ValueStash? stash)
    {
        _cipher = cipher;
        _rules = new CryptRules(metadata.EffectiveRule);
        _macOnlyEncrypted = metadata.MacOnlyEncrypted;
        _encrypting = encrypting;
        _source = source;
        _stash = stash;
        if (_macOnlyEncrypted)
            _hash.AppendData(MacOnlyEncryptedInit);
    }

    public List<string> Warnings { get; } = [];

    public void Walk(IEnumerable<SopsDocument> documents)
    {
        foreach (var doc in documents)
            WalkMapping(doc.Root);
    }

    /// <summary>The MAC over everything walked: 128 uppercase hex digits.</summary>
    public string MacHex() => Convert.ToHexString(_hash.GetHashAndReset());

    private void WalkMapping(SopsMapping mapping)
    {
        _comments.Add([]);
        foreach (var item in mapping.Items)
        {
            if (item is SopsComment comment)
            {
                _comments[^1].Add(comment.Text);
                VisitComment(comment);
                continue;
            }
            var entry = (SopsEntry)item;
            _path.Add(entry.Key);
            _display.Add((entry.Key, 0));
            entry.Value = WalkValue(entry.Value);
            _path.RemoveAt(_path.Count - 1);
            _display.RemoveAt(_display.Count - 1);
            _comments[^1].Clear();
        }
        _comments.RemoveAt(_comments.Count - 1);
    }

    private void WalkSequence(SopsSequence sequence)
    {
        _comments.Add([]);
        int index = 0;
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            if (item is SopsComment comment)
            {
                _comments[^1].Add(comment.Text);
                VisitComment(comment);
                continue;
            }
            _display.Add((null, index));
            sequence.Items[i] = WalkValue(item);
            _display.RemoveAt(_display.Count - 1);
            if (sequence.Items[i] is not SopsComment)
                _comments[^1].Clear();
            index++;
        }
        _comments.RemoveAt(_comments.Count - 1);
    }

    private SopsNode WalkValue(SopsNode node)
    {
        switch (node)
        {
            case SopsMapping m:
                WalkMapping(m);
                return m;
            case SopsSequence s:
                WalkSequence(s);
                return s;
            case SopsScalar scalar:
                return VisitScalar(scalar);
            default:
                return node;
        }
    }

    private string Aad()
    {
        // The empty path (top-level comments) is ":" in sops, because it joins with ":" and then appends one.
        if (_path.Count == 0)
            return ":";
        _aad.Clear();
        foreach (var p in _path)
            _aad.Append(p).Append(':');
        return _aad.ToString();
    }

    /// <summary>The place of a value for messages, built only when a message needs it.</summary>
    private string Where(SopsNode node)
    {
        var place = _display.Count == 0 ? "top level"
            : string.Concat(_display.Select(d => d.Key is null ? "[" + d.Index.ToString(CultureInfo.InvariantCulture) + "]" : "[\"" + d.Key + "\"]"));
        return $"\"{_source}\" {place}{(node.Line > 0 ? $" (line {node.Line})" : "")}";
    }

    private SopsNode VisitScalar(SopsScalar scalar)
    {
        if (scalar.Kind == ScalarKind.Null)
            return scalar;
        bool encrypted = _rules.ShouldEncrypt(_path, _comments, isComment: false);
        if (_encrypting)
        {
            var plaintext = scalar.PlaintextBytes();
            if (encrypted || !_macOnlyEncrypted)
                _hash.AppendData(plaintext);
            if (!encrypted || plaintext.Length == 0 && scalar.Kind == ScalarKind.Str)
                return scalar;
            var type = TypedValues.TypeName(scalar.Kind);
            var aad = Aad();
            var enc = _stash?.Find(aad, type, plaintext) ?? _cipher.Encrypt(plaintext, type, aad);
            CryptographicOperations.ZeroMemory(plaintext);
            return new SopsScalar(ScalarKind.Str, enc) { Line = scalar.Line, Column = scalar.Column };
        }
        if (!encrypted)
        {
            if (!_macOnlyEncrypted)
                _hash.AppendData(scalar.PlaintextBytes());
            return scalar;
        }
        if (scalar.Kind == ScalarKind.Str && scalar.Text.Length == 0)
            return scalar;
        if (scalar.Kind != ScalarKind.Str || !EncryptedValue.LooksEncrypted(scalar.Text))
            throw new KeywardException($"{Where(scalar)}: the value should be encrypted but is in plain text",
                "the file was edited by hand or by another tool; re-encrypt it, or decrypt with the value removed", FailureKind.Failed);
        var aadText = Aad();
        var decrypted = _cipher.Decrypt(scalar.Text, aadText, () => Where(scalar));
        if (decrypted.Type == "comment")
        {
            // sops writes comments inside sequences as list items; they never enter the MAC (getsops/sops#2243).
            var comment = new SopsComment(Encoding.UTF8.GetString(decrypted.Plaintext)) { Line = scalar.Line, Column = scalar.Column };
            _stash?.Add(aadText, "comment", decrypted.Plaintext, scalar.Text);
            return comment;
        }
        var typed = TypedValues.FromPlaintext(decrypted.Plaintext, decrypted.Type, () => Where(scalar));
        typed.Line = scalar.Line;
        typed.Column = scalar.Column;
        // A decrypted str is already in its canonical form; other types are hashed as they are normalised.
        var canonical = typed.Kind == ScalarKind.Str ? decrypted.Plaintext : typed.PlaintextBytes();
        _hash.AppendData(canonical);
        _stash?.Add(aadText, decrypted.Type, canonical, scalar.Text);
        return typed;
    }

    private void VisitComment(SopsComment comment)
    {
        bool encrypted = _rules.ShouldEncrypt(_path, _comments, isComment: true);
        if (!encrypted)
            return;
        var aad = Aad();
        if (_encrypting)
        {
            if (comment.Text.Length == 0)
                return;
            var plaintext = Encoding.UTF8.GetBytes(comment.Text);
            comment.Text = _stash?.Find(aad, "comment", plaintext) ?? _cipher.Encrypt(plaintext, "comment", aad);
            return;
        }
        if (!comment.IsEncrypted)
        {
            Warnings.Add($"{Where(comment)}: a comment is in plain text where sops would encrypt it (files from sops before 3.3); kept as it is");
            return;
        }
        var ciphertext = comment.Text;
        var decrypted = _cipher.Decrypt(ciphertext, aad, () => Where(comment) + " comment");
        comment.Text = Encoding.UTF8.GetString(decrypted.Plaintext);
        _stash?.Add(aad, "comment", decrypted.Plaintext, ciphertext);
    }

    public void Dispose() => _hash.Dispose();
}

/// <summary>
/// Remembers each decrypted value's ciphertext by (AAD, type, plaintext), so that re-encrypting under the same data key
/// writes the same <c>ENC[...]</c> for every value that did not change: one changed value is a one-line diff.
/// </summary>
public sealed class ValueStash
{
    private readonly Dictionary<string, string> _byValue = new(StringComparer.Ordinal);

    public int Count => _byValue.Count;

    internal void Add(string aad, string type, byte[] plaintext, string ciphertext) =>
        _byValue.TryAdd(Key(aad, type, plaintext), ciphertext);

    internal string? Find(string aad, string type, byte[] plaintext) =>
        _byValue.TryGetValue(Key(aad, type, plaintext), out var c) ? c : null;

    private static string Key(string aad, string type, byte[] plaintext) =>
        string.Concat(aad, "\u0000", type, "\u0000", Convert.ToBase64String(plaintext));
}
