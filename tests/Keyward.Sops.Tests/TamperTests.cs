using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Keyward.Age.Recipients;
using Keyward.Core;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;

namespace Keyward.Sops.Tests;

/// <summary>Changing any value, the MAC, lastmodified or the order of keys is detected.</summary>
public sealed partial class TamperTests : IDisposable
{
    private readonly X25519Identity _identity = X25519Identity.Generate();

    public void Dispose() => _identity.Dispose();

    private string Encrypted(bool macOnlyEncrypted = false)
    {
        var store = new YamlStore();
        var file = store.Read(Encoding.UTF8.GetBytes("a: one\nb: 2\nc_unencrypted: plain\nd:\n  - x\n  - y\n"), "t.yaml", encrypted: false);
        SopsEngine.Encrypt(file, new EncryptionSettings { AgeKeyGroups = [[_identity.Recipient.ToString()]], MacOnlyEncrypted = macOnlyEncrypted });
        return Encoding.UTF8.GetString(store.Write(file));
    }

    private void Decrypt(string text, bool ignoreMac = false)
    {
        var file = new YamlStore().Read(Encoding.UTF8.GetBytes(text), "t.yaml", encrypted: true);
        var ids = new IdentitySet();
        ids.Add([_identity], "test");
        CryptographicOperations.ZeroMemory(SopsEngine.Decrypt(file, ids, new DecryptOptions { IgnoreMac = ignoreMac }));
    }

    [GeneratedRegex(@"data:([A-Za-z0-9+/]+)")]
    private static partial Regex DataField();

    [Fact]
    public void Every_value_byte_change_is_detected()
    {
        var text = Encrypted();
        Decrypt(text);
        foreach (Match m in DataField().Matches(text))
        {
            var data = m.Groups[1].Value;
            var flipped = (data[0] == 'A' ? 'B' : 'A') + data[1..];
            var tampered = text[..m.Groups[1].Index] + flipped + text[(m.Groups[1].Index + data.Length)..];
            Assert.Throws<KeywardException>(() => Decrypt(tampered, ignoreMac: true));
        }
    }

    [Fact]
    public void Unencrypted_values_lastmodified_and_order_are_covered_by_the_MAC()
    {
        var text = Encrypted();
        Assert.Contains("MAC mismatch", Assert.Throws<KeywardException>(() => Decrypt(text.Replace("c_unencrypted: plain", "c_unencrypted: other", StringComparison.Ordinal))).Message, StringComparison.Ordinal);
        var lm = Regex.Match(text, "lastmodified: \"([^\"]+)\"").Groups[1].Value;
        var later = lm[..^3] + (lm[^3] == '5' ? "4" : "5") + lm[^2..];
        Assert.Throws<KeywardException>(() => Decrypt(text.Replace(lm, later, StringComparison.Ordinal)));
        var lines = text.Split('\n').ToList();
        int ia = lines.FindIndex(l => l.StartsWith("a:", StringComparison.Ordinal));
        int ib = lines.FindIndex(l => l.StartsWith("b:", StringComparison.Ordinal));
        (lines[ia], lines[ib]) = (lines[ib], lines[ia]);
        Assert.Contains("MAC mismatch", Assert.Throws<KeywardException>(() => Decrypt(string.Join('\n', lines))).Message, StringComparison.Ordinal);
        var mac = Regex.Match(text, @"mac: ENC\[AES256_GCM,data:([^,]+)").Groups[1];
        var badMac = text[..mac.Index] + (mac.Value[0] == 'A' ? 'B' : 'A') + text[(mac.Index + 1)..];
        Assert.Throws<KeywardException>(() => Decrypt(badMac));
    }

    [Fact]
    public void Mac_only_encrypted_ignores_plaintext_edits()
    {
        var text = Encrypted(macOnlyEncrypted: true);
        Decrypt(text.Replace("c_unencrypted: plain", "c_unencrypted: other", StringComparison.Ordinal));
    }
}
