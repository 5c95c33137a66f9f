using System.Text.Json;
using System.Text.Json.Nodes;
using Keyward.Manifests;
using YamlDotNet.RepresentationModel;

namespace Keyward.Sealing.Tests;

public sealed class ManifestWriterTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("1.0")]
    [InlineData("0x1F")]
    [InlineData("-5")]
    [InlineData(".inf")]
    public void Strings_YAML_would_read_as_another_type_are_quoted(string text) => Assert.True(ManifestWriter.NeedsQuotes(text));

    [Theory]
    [InlineData("Opaque")]
    [InlineData("AgBy3i4OJSWK+PiTySYZZA==")]
    [InlineData("sealedsecrets.bitnami.com/cluster-wide")]
    [InlineData("yesterday")]
    public void Plain_strings_stay_plain(string text) => Assert.False(ManifestWriter.NeedsQuotes(text));

    [Fact]
    public void Every_string_reads_back_as_the_same_string()
    {
        var values = new[] { "true", "no", "", "0777", "1e3", "a: b", "# not a comment", "multi\nline", "  padded ", "- dash", "{braces}", "'quote", "ünïcödé" };
        var map = new JsonObject();
        for (int i = 0; i < values.Length; i++)
            map[$"k{i}"] = values[i];
        var yaml = ManifestWriter.ToYaml([new JsonObject { ["kind"] = "X", ["values"] = map }]);
        var document = Assert.Single(ManifestLoader.Load(yaml, "out.yaml").Documents);
        var read = (JsonObject)ManifestWriter.ToJsonNode(document.Root.Child("values")!)!;
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(JsonValueKind.String, read[$"k{i}"]!.GetValueKind());
            Assert.Equal(values[i], read[$"k{i}"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("a\r\nb")]
    [InlineData("a\rb")]
    [InlineData("a\u0085b")]
    [InlineData("a\u2028b")]
    [InlineData("a\u2029b")]
    [InlineData("line\r\n")]
    [InlineData("\r")]
    [InlineData("two\nlines\r\nmixed\n")]
    [InlineData("\tlead")]
    [InlineData("trail\t")]
    [InlineData("\t")]
    [InlineData(" both ")]
    [InlineData("\tindented\nlines\t")]
    public void Line_breaks_other_than_LF_and_edge_whitespace_survive_a_YAML_reader(string text)
    {
        // A block scalar may not hold CR or NEL: every YAML reader turns its line breaks into LF.
        var yaml = ManifestWriter.ToYaml([new JsonObject { ["note"] = text }]);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(text, ((YamlScalarNode)root.Children[new YamlScalarNode("note")]).Value);
        var document = Assert.Single(ManifestLoader.Load(yaml, "out.yaml").Documents);
        Assert.Equal(text, document.Root.Scalar("note"));
    }

    [Fact]
    public void Booleans_and_numbers_are_written_plain()
    {
        var yaml = ManifestWriter.ToYaml([new JsonObject { ["immutable"] = true, ["count"] = 3 }]);
        Assert.Equal("immutable: true\ncount: 3\n", yaml);
    }

    [Fact]
    public void Several_documents_are_separated_and_long_values_are_not_folded()
    {
        var longValue = new string('A', 2000);
        var yaml = ManifestWriter.ToYaml([new JsonObject { ["a"] = longValue }, new JsonObject { ["b"] = "2" }]);
        Assert.Equal($"a: {longValue}\n---\nb: \"2\"\n", yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.Equal(2, stream.Documents.Count);
    }

    [Fact]
    public void Json_output_is_one_object_or_a_v1_List_of_several()
    {
        using var one = JsonDocument.Parse(ManifestWriter.ToJson([new JsonObject { ["kind"] = "SealedSecret" }]));
        Assert.Equal("SealedSecret", one.RootElement.GetProperty("kind").GetString());
        using var two = JsonDocument.Parse(ManifestWriter.ToJson([new JsonObject { ["kind"] = "A" }, new JsonObject { ["kind"] = "B" }]));
        Assert.Equal("List", two.RootElement.GetProperty("kind").GetString());
        Assert.Equal(2, two.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Json_input_keeps_its_types_when_read_back()
    {
        var document = Assert.Single(ManifestLoader.Load("{\"a\": \"true\", \"b\": true, \"c\": 5, \"d\": null}", "x.json").Documents);
        var node = (JsonObject)ManifestWriter.ToJsonNode(document.Root)!;
        Assert.Equal(JsonValueKind.String, node["a"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, node["b"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, node["c"]!.GetValueKind());
        Assert.Null(node["d"]);
    }
}
