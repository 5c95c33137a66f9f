using System.Security.Cryptography;
using System.Text;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;

namespace Keyward.Sops.Tests;

/// <summary>
/// Damaged encrypted files (sops's own fixtures, edited or mutated at random) fail with an error that names the file
/// and where, never with an exception of the framework's.
/// </summary>
public class DamagedFileTests
{
    private const string Folder = "humphd-sops-age";
    private const string KeyFile = "humphd-sops-age-key.txt";

    private static byte[] Fixture(string name) => File.ReadAllBytes(FixtureSupport.Fixture(Folder, name));

    private static string Text(string name) => Encoding.UTF8.GetString(Fixture(name));

    private static void Decrypt(byte[] content, string name)
    {
        var file = Stores.Stores.For(Stores.Stores.ForPath(name)).Read(content, name, encrypted: true);
        CryptographicOperations.ZeroMemory(SopsEngine.Decrypt(file, FixtureSupport.Identities(KeyFile), new DecryptOptions()));
    }

    private static KeywardException Failure(string text, string name) =>
        Assert.Throws<KeywardException>(() => Decrypt(Encoding.UTF8.GetBytes(text), name));

    [Fact]
    public void A_metadata_list_index_that_is_not_a_number_is_named_with_its_line()
    {
        var env = Text("secret.enc.env");
        int line = env[..env.IndexOf("sops_age__list_1__map_enc", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var error = Failure(env.Replace("sops_age__list_1__map_enc", "sops_age__list_x__map_enc", StringComparison.Ordinal), "secret.enc.env");
        Assert.Equal($"\"secret.enc.env\" line {line}: sops metadata key \"sops_age__list_x__map_enc\" has the list index \"x\", which is not a number", error.Message);
        Assert.Equal(FailureKind.Usage, error.Kind);

        var ini = Failure(Text("secret.enc.ini").Replace("age__list_0__map_enc", "age__list_0x__map_enc", StringComparison.Ordinal), "secret.enc.ini");
        Assert.Contains("sops metadata key \"sops_age__list_0x__map_enc\" has the list index \"0x\"", ini.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sops_age=left over\n", "holds a value where other keys have fields")]
    [InlineData("sops_age__map_enc=a mapping beside the list\n", "mixes list items and mapping fields under one name")]
    [InlineData("sops_version__map_major=3\n", "puts a field under a name that holds a value")]
    [InlineData("sops_version=3.8.1\n", "is given twice")]
    public void Metadata_keys_that_do_not_fit_together_are_an_error(string extra, string expected)
    {
        var error = Failure(Text("secret.enc.env") + extra, "secret.enc.env");
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("\"secret.enc.env\" line ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(48)]
    [InlineData(300)]
    public void A_value_whose_iv_is_not_32_bytes_does_not_authenticate(int ivBytes)
    {
        var yaml = Text("secret.enc.yaml");
        int start = yaml.IndexOf(",iv:", StringComparison.Ordinal) + ",iv:".Length;
        int end = yaml.IndexOf(',', start);
        var iv = Convert.ToBase64String(Enumerable.Range(0, ivBytes).Select(i => (byte)i).ToArray());
        var error = Failure(yaml[..start] + iv + yaml[end..], "secret.enc.yaml");
        Assert.Contains("does not authenticate", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Failed, error.Kind);
    }

    [Fact]
    public void Invalid_UTF8_in_a_JSON_file_is_reported_at_its_line_and_column()
    {
        var json = Fixture("secret.enc.json");
        int quote = Array.IndexOf(json, (byte)'"', Array.IndexOf(json, (byte)':') + 1);
        var damaged = json.ToArray();
        damaged[quote + 1] = 0xFF;
        int line = json.AsSpan(0, quote).Count((byte)'\n') + 1;
        int column = quote + 1 - (json.AsSpan(0, quote).LastIndexOf((byte)'\n') + 1) + 1;
        var error = Assert.Throws<KeywardException>(() => Decrypt(damaged, "secret.enc.json"));
        Assert.Equal($"\"secret.enc.json\" line {line} column {column}: invalid UTF-8 (byte 0xff)", error.Message);
    }

    /// <summary>YamlDotNet's scanner throws an InvalidOperationException of its own, with no position, on this text.</summary>
    private const string UnscannableYaml = "a:\n  - b\n  [  c: d\n  - e\n";

    [Fact]
    public void YAML_the_YAML_library_fails_on_without_a_position_is_an_error_at_the_last_place_it_read()
    {
        var error = Assert.Throws<KeywardException>(() => new YamlStore().Read(Encoding.UTF8.GetBytes(UnscannableYaml), "odd.yaml", encrypted: false));
        Assert.Matches("^\"odd.yaml\" line [0-9]+ column [0-9]+: invalid YAML after this point", error.Message);
        Assert.Equal(FailureKind.Usage, error.Kind);

        var config = Path.Combine(Path.GetTempPath(), $"keyward-{Guid.NewGuid():N}.sops.yaml");
        File.WriteAllText(config, UnscannableYaml);
        try
        {
            var configError = Assert.Throws<KeywardException>(() => Keyward.Sops.Config.SopsConfig.Load(config));
            Assert.Matches("line [0-9]+ column [0-9]+: invalid YAML after this point", configError.Message);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void A_shamir_threshold_that_is_not_a_number_is_an_error_in_a_file_and_in_a_config()
    {
        var file = Failure(Text("secret.enc.yaml").Replace("sops:\n", "sops:\n  shamir_threshold: lots\n", StringComparison.Ordinal), "secret.enc.yaml");
        Assert.Contains("shamir_threshold \"lots\" is not a number", file.Message, StringComparison.Ordinal);

        var config = Path.Combine(Path.GetTempPath(), $"keyward-{Guid.NewGuid():N}.sops.yaml");
        try
        {
            File.WriteAllText(config, "creation_rules:\n  - age: age1x\n    shamir_threshold: two\n");
            var error = Assert.Throws<KeywardException>(() => Keyward.Sops.Config.SopsConfig.Load(config));
            Assert.EndsWith("line 3 column 23: shamir_threshold is \"two\", not a whole number", error.Message, StringComparison.Ordinal);
            File.WriteAllText(config, "stores:\n  yaml:\n    indent: wide\n");
            error = Assert.Throws<KeywardException>(() => Keyward.Sops.Config.SopsConfig.Load(config));
            Assert.EndsWith("line 3 column 13: stores.yaml.indent is \"wide\", not a whole number", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("secret.enc.yaml")]
    [InlineData("secret.enc.json")]
    [InlineData("secret.enc.env")]
    [InlineData("secret.enc.ini")]
    public void Random_damage_gives_a_keyward_error_or_a_decrypted_file_never_another_exception(string name)
    {
        var original = Fixture(name);
        Decrypt(original, name);
        byte[][] pieces = [.. new[] { "{", "}", "[", "]", ":", "- ", "\"", "'", "|", "\n", "ENC[", ",", "=", "__list_", "__map_", "sops_", "[sops]", "mac", "iv:", "type:", "\t", "#" }
            .Select(Encoding.UTF8.GetBytes), [0x00], [0xFF], [0xC3]];
        var random = new Random(20261122);
        var unexpected = new List<string>();
        for (int trial = 0; trial < 400; trial++)
        {
            var data = new List<byte>(original);
            for (int edit = random.Next(1, 5); edit > 0; edit--)
            {
                int at = random.Next(data.Count + 1);
                switch (random.Next(4))
                {
                    case 0: data.InsertRange(at, pieces[random.Next(pieces.Length)]); break;
                    case 1: data.RemoveRange(Math.Min(at, data.Count), Math.Min(random.Next(1, 30), data.Count - Math.Min(at, data.Count))); break;
                    case 2: data.RemoveRange(at, data.Count - at); break;
                    default: if (data.Count > 0) data[random.Next(data.Count)] = (byte)random.Next(256); break;
                }
            }
            try
            {
                Decrypt([.. data], name);
            }
            catch (KeywardException)
            {
            }
#pragma warning disable CA1031 // Any other exception is what the test is looking for.
            catch (Exception e)
#pragma warning restore CA1031
            {
                unexpected.Add($"trial {trial}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        Assert.Empty(unexpected);
    }
}
