using System.Globalization;
using System.Text.Json;
using Keyward.Age.Keys;
using Keyward.Sops.Crypto;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;
using Keyward.Testing;

namespace Keyward.Sops.Tests;

/// <summary>Reads fixtures and the reference decryptor's reports beside them.</summary>
public static class FixtureSupport
{
    public static string Fixture(params string[] parts) => SharedMaterial.Path(["conformance", "sops", "fixtures", .. parts]);

    public static string ReferenceTool => SharedMaterial.Path("conformance", "sops", "tools", "sops_ref.py");

    public static IdentitySet Identities(string keyFile)
    {
        var set = new IdentitySet();
        set.Add(AgeKeyFile.ParseIdentities(File.ReadAllText(Fixture("keys", keyFile)), keyFile), keyFile);
        return set;
    }

    public static StoreKind StoreOf(JsonElement report) => Stores.Stores.Parse(report.GetProperty("store").GetString()!);

    public static SopsFile Load(string path, StoreKind store) =>
        Stores.Stores.For(store).Read(File.ReadAllBytes(path), Path.GetFileName(path), encrypted: true);

    /// <summary>Checks our decrypted leaves against a reference report's list: same order, AADs, types and values.</summary>
    public static void AssertLeavesMatch(JsonElement report, SopsFile decrypted)
    {
        var expected = report.GetProperty("leaves").EnumerateArray().ToList();
        var actual = TreeLeaves.Of(decrypted.Documents);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.Equal(e.GetProperty("aad").GetString(), a.Aad);
            var type = e.GetProperty("type").GetString();
            var value = e.GetProperty("value");
            if (type is "str" or "(empty, stays empty)")
                Assert.Equal(ScalarKind.Str, a.Kind);
            else if (type != "plain")
                Assert.Equal(type, Engine.TypedValues.TypeName(a.Kind));
            AssertValue(value, a, e.GetProperty("aad").GetString()!);
        }
    }

    private static void AssertValue(JsonElement value, Leaf leaf, string where)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                Assert.True(value.GetString() == leaf.Text, $"{where}: expected {value.GetString()}, got {leaf.Text}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Assert.Equal(ScalarKind.Bool, leaf.Kind);
                Assert.Equal(value.ValueKind == JsonValueKind.True ? "True" : "False", leaf.Text);
                break;
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                if (raw.Contains('.', StringComparison.Ordinal) || raw.Contains('e', StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Equal(ScalarKind.Float, leaf.Kind);
                    Assert.Equal(value.GetDouble(), double.Parse(leaf.Text, CultureInfo.InvariantCulture));
                }
                else
                {
                    Assert.Equal(ScalarKind.Int, leaf.Kind);
                    Assert.Equal(value.GetInt64(), long.Parse(leaf.Text, CultureInfo.InvariantCulture));
                }
                break;
            default:
                Assert.Fail($"{where}: unexpected value kind {value.ValueKind}");
                break;
        }
    }

    public static JsonElement Report(string fixturePath) =>
        JsonDocument.Parse(File.ReadAllText(fixturePath + ".decrypted.json")).RootElement;
}
