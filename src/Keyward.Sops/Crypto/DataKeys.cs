using System.Security.Cryptography;
using System.Text;
using Keyward.Age;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Keyward.Core;
using Keyward.Sops.Metadata;

namespace Keyward.Sops.Crypto;

/// <summary>
/// Identities to try, and where each came from, for error messages that say what was tried. Disposing the set
/// disposes its identities, which zero their secret keys.
/// </summary>
public sealed class IdentitySet : IDisposable
{
    public List<IAgeIdentity> Identities { get; } = [];

    /// <summary>One line per source: <c>2 identities from SOPS_AGE_KEY_FILE (/path)</c>.</summary>
    public List<string> Sources { get; } = [];

    public List<string> Warnings { get; } = [];

    public void Add(IEnumerable<IAgeIdentity> identities, string source)
    {
        var list = identities.ToList();
        Identities.AddRange(list);
        Sources.Add($"{list.Count} {(list.Count == 1 ? "identity" : "identities")} from {source}");
    }

    public void Dispose()
    {
        foreach (var identity in Identities)
            (identity as IDisposable)?.Dispose();
    }
}

/// <summary>
/// Wraps and unwraps the 32-byte data key: the raw key is age-encrypted (armored) to every age recipient of a key group;
/// with several groups each group holds a Shamir share instead.
/// </summary>
public static class DataKeys
{
    public const int Size = 32;

    public static byte[] Generate(RandomSource? random = null)
    {
        var key = new byte[Size];
        random.OrDefault()(key);
        return key;
    }

    public static byte[] Unwrap(SopsMetadata meta, IdentitySet identities, string source)
    {
        var shares = new List<byte[]>();
        var refusals = new List<AgeUnsupportedKeyException>();
        int threshold = meta.KeyGroups.Count > 1 ? meta.ShamirThreshold ?? meta.KeyGroups.Count : 1;
        foreach (var group in meta.KeyGroups)
        {
            if (shares.Count >= threshold)
                break;
            foreach (var entry in group.Age)
            {
                if (TryUnwrap(entry, identities.Identities, source, refusals) is { } share)
                {
                    shares.Add(share);
                    break;
                }
            }
        }
        if (shares.Count < threshold)
        {
            foreach (var s in shares)
                CryptographicOperations.ZeroMemory(s);
            // The file is for a key that was given, of a kind keyward cannot use: that is the reason, not "no match".
            if (refusals.Count > 0)
                throw new KeywardException($"\"{source}\": {refusals[0].Message}", refusals[0].Hint, FailureKind.Failed, refusals[0]);
            throw NoMatch(meta, identities, source, shares.Count, threshold);
        }
        if (meta.KeyGroups.Count == 1)
        {
            if (shares[0].Length != Size)
                throw new KeywardException($"\"{source}\": the wrapped data key is {shares[0].Length} bytes, not {Size}", "the sops metadata was damaged");
            return shares[0];
        }
        var key = Shamir.Combine(shares);
        foreach (var s in shares)
            CryptographicOperations.ZeroMemory(s);
        if (key.Length != Size)
            throw new KeywardException($"\"{source}\": the combined data key is {key.Length} bytes, not {Size}", "the sops metadata was damaged");
        return key;
    }

    private static byte[]? TryUnwrap(AgeKeyEntry entry, List<IAgeIdentity> identities, string source, List<AgeUnsupportedKeyException> refusals)
    {
        if (identities.Count == 0)
            return null;
        try
        {
            return AgeDecryptor.Decrypt(Encoding.UTF8.GetBytes(entry.Enc), identities);
        }
        catch (AgeNoIdentityMatchException)
        {
            return null;
        }
        catch (AgeUnsupportedKeyException e)
        {
            refusals.Add(e); // another recipient's key may still open the file
            return null;
        }
        catch (AgeException e) when (e is not AgeKeyException)
        {
            throw new KeywardException($"\"{source}\": the data key wrapped for {entry.Recipient} is damaged: {e.Message}", e.Hint, FailureKind.Failed, e);
        }
    }

    private static KeywardException NoMatch(SopsMetadata meta, IdentitySet identities, string source, int got, int needed)
    {
        var recipients = meta.AllAgeKeys.Select(k => RecipientText.Show(k.Recipient)).ToList();
        var foreign = meta.KeyGroups.SelectMany(g => g.Foreign).Select(f => ForeignDescription(f.Key, f.Value)).ToList();
        var sb = new StringBuilder($"\"{source}\": no identity matched");
        if (recipients.Count > 0)
            sb.Append("; the data key is wrapped for age recipients ").Append(string.Join(", ", recipients));
        if (foreign.Count > 0)
            sb.Append(recipients.Count > 0 ? "; and for " : "; the file can only be opened with ").Append(string.Join(", ", foreign))
                .Append(", which keyward does not support");
        if (needed > 1)
            sb.Append($"; {got} of the {needed} key groups needed could be opened");
        sb.Append("; identities tried: ").Append(identities.Sources.Count == 0 ? "none found" : string.Join(", ", identities.Sources));
        return new KeywardException(sb.ToString(),
            recipients.Count > 0
                ? "set SOPS_AGE_KEY_FILE or pass --identity FILE with the secret key of one of these recipients"
                : "decrypt it with sops and the key it names, then re-encrypt it for an age recipient",
            FailureKind.Failed);
    }

    private static string ForeignDescription(string kind, Tree.SopsSequence entries)
    {
        var ids = entries.Values.OfType<Tree.SopsMapping>()
            .Select(m => (m["fp"] ?? m["arn"] ?? m["resource_id"] ?? m["vault_url"] ?? m["vault_address"]) as Tree.SopsScalar)
            .Where(s => s is not null).Select(s => s!.Text).ToList();
        return ids.Count > 0 ? $"{kind} ({string.Join(", ", ids)})" : kind;
    }

    /// <summary>
    /// Refuses recipients that would make the file impossible to open: a data key (or a Shamir share) wrapped for no
    /// one is lost for good, and neither updatekeys nor rotate can bring it back.
    /// </summary>
    public static void RequireRecipients(IReadOnlyList<IReadOnlyList<string>> ageRecipientsPerGroup, int? shamirThreshold, string source)
    {
        ArgumentNullException.ThrowIfNull(ageRecipientsPerGroup);
        const string Hint = "keep at least one recipient in every key group; to replace a recipient, pass --add-age NEW and --rm-age OLD in the same run";
        if (ageRecipientsPerGroup.All(g => g.Count == 0))
            throw new KeywardException($"\"{source}\": refusing to wrap the data key for no one: no age recipient would be left, and nobody could decrypt the file again",
                Hint, FailureKind.Usage);
        int groups = ageRecipientsPerGroup.Count;
        int needed = groups > 1 ? shamirThreshold ?? groups : 1;
        int usable = ageRecipientsPerGroup.Count(g => g.Count > 0);
        if (usable < needed)
            throw new KeywardException($"\"{source}\": refusing to write a file nobody could decrypt: only {usable} of the {groups} key groups would have recipients, and shamir_threshold needs {needed}",
                Hint, FailureKind.Usage);
        if (usable < groups)
        {
            int empty = ageRecipientsPerGroup.Select((g, i) => (g, i)).First(x => x.g.Count == 0).i;
            throw new KeywardException($"\"{source}\": key group {empty} would have no recipients, so its share of the data key would be lost", Hint, FailureKind.Usage);
        }
    }

    /// <summary>Wraps the data key for every group of the metadata (replacing their age entries).</summary>
    public static void Wrap(SopsMetadata meta, ReadOnlySpan<byte> dataKey, IReadOnlyList<IReadOnlyList<string>> ageRecipientsPerGroup, RandomSource? random)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(ageRecipientsPerGroup);
        if (ageRecipientsPerGroup.Count != meta.KeyGroups.Count)
            throw new InvalidOperationException("one recipient list per key group is needed");
        // Every path that wraps a key goes through here: the last guard against a key wrapped for no one.
        RequireRecipients(ageRecipientsPerGroup, meta.ShamirThreshold, "the file");
        List<byte[]> shares = meta.KeyGroups.Count == 1
            ? [dataKey.ToArray()]
            : Shamir.Split(dataKey, meta.KeyGroups.Count, meta.ShamirThreshold ?? meta.KeyGroups.Count, random);
        try
        {
            for (int g = 0; g < meta.KeyGroups.Count; g++)
            {
                var group = meta.KeyGroups[g];
                group.Age.Clear();
                foreach (var recipient in ageRecipientsPerGroup[g])
                    group.Age.Add(new AgeKeyEntry(recipient, WrapFor(recipient, shares[g], random)));
            }
        }
        finally
        {
            foreach (var s in shares)
                CryptographicOperations.ZeroMemory(s);
        }
    }

    public static string WrapFor(string recipient, ReadOnlySpan<byte> key, RandomSource? random)
    {
        IAgeRecipient parsed;
        try
        {
            parsed = AgeKeyFile.ParseRecipient(recipient.Trim());
        }
        catch (AgeKeyException e)
        {
            throw new KeywardException($"age recipient \"{RecipientText.Show(recipient)}\": {e.Message}", e.Hint ?? "age recipients look like age1... or an ssh-ed25519/ssh-rsa public key", FailureKind.Usage, e);
        }
        var armored = AgeEncryptor.Encrypt(key, [parsed], new AgeEncryptOptions { Armor = true, Random = random });
        return Encoding.ASCII.GetString(armored);
    }
}
