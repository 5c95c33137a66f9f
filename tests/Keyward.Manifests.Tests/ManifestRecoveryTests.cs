using Keyward.Manifests.Yaml;

namespace Keyward.Manifests.Tests;

/// <summary>
/// kubectl decodes each document of a stream on its own: a broken document must not hide the ones after it from the
/// audit (a plaintext Secret after a duplicate key was lost), and a duplicate key reads as kubectl's YAML library reads
/// it, the last value winning. A file of JSON objects one after another (kubectl get -o json &gt;&gt; file) is read object
/// by object. Every error is still reported, and every node keeps its position in the file.
/// </summary>
public class ManifestRecoveryTests
{
    private const string BrokenConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels:\n    app: a\n    app: b\ndata:\n  x: \"1\"\n";

    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Sup3rS3cretPassw0rd\n";

    [Fact]
    public void A_duplicate_key_is_reported_and_the_document_and_those_after_it_are_kept()
    {
        var result = ManifestLoader.Load(BrokenConfigMap + "---\n" + Secret, "f.yaml");
        var error = Assert.Single(result.Errors);
        Assert.Equal(7, error.Position.Line);
        Assert.Contains("uplicate key", error.Message, StringComparison.Ordinal);
        Assert.Equal(["ConfigMap", "Secret"], result.Documents.Select(d => d.Kind));
        Assert.Equal("b", ((YamlMap)result.Documents[0].Root.Child("metadata")!).Child("labels") is YamlMap labels ? labels.Scalar("app") : null);
        var password = ((YamlMap)result.Documents[1].Root.Child("stringData")!)["password"]!;
        Assert.Equal(new SourcePosition(16, 13), password.Position);
    }

    [Fact]
    public void A_key_that_is_not_a_string_is_reported_at_its_position_and_the_rest_of_the_document_kept()
    {
        // kubectl refuses it ("invalid map key"); seal used to drop the entry without a word.
        var text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  ? [a, b]\n  : v1\n  password: Sup3rS3cretPassw0rd\n";
        var result = ManifestLoader.Load(text, "f.yaml");
        var error = Assert.Single(result.Errors);
        Assert.Equal(new SourcePosition(6, 5), error.Position);
        Assert.Contains("not a string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("[a, b]", error.Message, StringComparison.Ordinal);
        var stringData = Assert.IsType<YamlMap>(Assert.Single(result.Documents).Root.Child("stringData"));
        Assert.Equal(["password"], Enumerable.Range(0, stringData.Count).Select(i => stringData.KeyAt(i).Value));
    }

    [Fact]
    public void A_syntax_error_loses_only_its_own_document()
    {
        var text = Secret + "---\nkind: ConfigMap\ndata: [a, b\n---\n" + Secret.Replace("name: db", "name: api", StringComparison.Ordinal);
        var result = ManifestLoader.Load(text, "f.yaml");
        var error = Assert.Single(result.Errors);
        Assert.InRange(error.Position.Line, 9, 11);
        Assert.Equal(["db", "api"], result.Documents.Select(d => d.Reference.Name));
        Assert.Equal(11, result.Documents[1].Start.Line);
    }

    [Fact]
    public void Directives_stay_with_their_document()
    {
        var text = "%YAML 1.1\n---\nkind: ConfigMap\ndata: [a\n---\n" + Secret;
        var result = ManifestLoader.Load(text, "f.yaml");
        Assert.Single(result.Errors);
        Assert.Equal(["Secret"], result.Documents.Select(d => d.Kind));
    }

    [Fact]
    public void Json_objects_one_after_another_are_read_one_by_one_with_their_positions()
    {
        var text = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"cfg\"}}\n"
            + "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"db\"}, \"stringData\": {\"password\": \"Sup3rS3cret\"}}\n"
            + "  {\"kind\": \"Secret\", \"metadata\": {\"name\": \"x\"}} {\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"y\"}}\n";
        var result = ManifestLoader.Load(text, "f.json");
        Assert.Empty(result.Errors);
        Assert.Equal(["cfg", "db", "x", "y"], result.Documents.Select(d => d.Reference.Name));
        Assert.Equal(new SourcePosition(2, 1), result.Documents[1].Start);
        Assert.Equal(new SourcePosition(2, 95), ((YamlMap)result.Documents[1].Root.Child("stringData")!)["password"]!.Position);
        Assert.Equal(new SourcePosition(3, 3), result.Documents[2].Start);
        Assert.Equal(new SourcePosition(3, 49), result.Documents[3].Start);
    }

    [Fact]
    public void A_broken_json_value_in_a_stream_is_reported_and_the_others_are_kept()
    {
        var text = "{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"cfg\"}, \"data\": {\"a\": 1 \"b\": 2}}\n{\"kind\": \"Secret\", \"metadata\": {\"name\": \"db\"}}\n";
        var result = ManifestLoader.Load(text, "f.json");
        Assert.Equal(1, Assert.Single(result.Errors).Position.Line);
        Assert.Contains(result.Documents, d => d.Reference.Name == "db");
    }

    [Fact]
    public void A_stream_without_errors_reads_as_before()
    {
        var result = ManifestLoader.Load(BrokenConfigMap.Replace("    app: b\n", "", StringComparison.Ordinal) + "---\n" + Secret, "f.yaml");
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Documents.Count);
    }

    [Theory]
    [InlineData("stringData:\n  password: \"Sup3r\n    S3cret\"\n  password: final\n")]
    [InlineData("stringData: &s\n  password: Sup3rS3cret\n  password: final\n")]
    [InlineData("stringData:\n  password: Sup3r\n    S3cret\n  password: final\n")]
    [InlineData("stringData: {password: a, password: final}\n")]
    public void A_duplicate_key_the_fast_reader_does_not_take_is_read_last_value_wins_all_the_same(string data)
    {
        // Multi-line scalars, anchors and flow mappings go to YamlDotNet, which refuses a duplicate key itself.
        var text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n" + data;
        var result = ManifestLoader.Load(text, "s.yaml");
        Assert.Single(result.Errors);
        var document = Assert.Single(result.Documents);
        var stringData = Assert.IsType<YamlMap>(document.Root.Child("stringData"));
        Assert.Equal(1, stringData.Count);
        Assert.Equal("final", stringData.Scalar("password"));
    }

    [Fact]
    public void Keys_repeated_in_different_mappings_are_no_duplicates()
    {
        var text = "a:\n  name: x\n  list:\n  - name: y\n    name: z\n  - {name: w}\nb:\n  name: v\n  other: \"multi\n    line\"\n";
        var result = ManifestLoader.Load(text, "f.yaml");
        Assert.Single(result.Errors);
        var root = Assert.Single(result.Documents).Root;
        Assert.Equal("x", ((YamlMap)root.Child("a")!).Scalar("name"));
        var items = Assert.IsType<YamlList>(((YamlMap)root.Child("a")!).Child("list"));
        Assert.Equal("z", ((YamlMap)items[0]).Scalar("name"));
        Assert.Equal("w", ((YamlMap)items[1]).Scalar("name"));
        Assert.Equal("v", ((YamlMap)root.Child("b")!).Scalar("name"));
    }
}
