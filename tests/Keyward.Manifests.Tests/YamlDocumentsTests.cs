using Keyward.Manifests.Yaml;

namespace Keyward.Manifests.Tests;

/// <summary>
/// The fallback path gets exactly the unusual inputs, hostile ones included: none of them may crash the process,
/// hang, or blow up memory; each becomes a syntax error with a position.
/// </summary>
public class YamlDocumentsTests
{
    [Theory]
    [InlineData("a: &x\n  b: *x\n")]
    [InlineData("&a [*a]\n")]
    [InlineData("a: &x\n  - *x\n")]
    public void An_alias_inside_its_own_anchor_is_an_error(string yaml)
    {
        var (_, error) = YamlDocuments.Read(yaml);
        Assert.NotNull(error);
        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_the_YAML_library_fails_on_without_a_position_is_an_error_where_its_last_readable_node_ends()
    {
        // YamlDotNet's scanner throws an InvalidOperationException of its own here, and says nowhere.
        var (documents, error) = YamlDocuments.Read("a:\n  - b\n  [  c: d\n  - e\n");
        Assert.Empty(documents);
        Assert.NotNull(error);
        Assert.Equal("invalid YAML after this point (the YAML reader cannot parse it)", error.Message);
        Assert.Equal(new SourcePosition(2, 6), error.Position);
    }

    [Fact]
    public void A_billion_laughs_document_is_refused()
    {
        var yaml = new System.Text.StringBuilder("a0: &a0 [\"lol\"]\n");
        for (int i = 1; i < 10; i++)
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        var (_, error) = YamlDocuments.Read(yaml.ToString());
        Assert.NotNull(error);
        Assert.Contains("too many nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_aliases_read_as_copies_of_their_anchor()
    {
        var (documents, error) = YamlDocuments.Read("base: &b {image: shop:1.0, pull: Always}\nother: *b\n");
        Assert.Null(error);
        var root = Assert.IsType<YamlMap>(Assert.Single(documents));
        var copy = Assert.IsType<YamlMap>(root["other"]);
        Assert.Equal("shop:1.0", copy.Scalar("image"));
        Assert.Equal(root["base"]!.Position, copy.Position);
    }

    [Theory]
    [InlineData("base: &b {image: shop:1.0, pull: Always, port: 80}\nsidecar:\n  <<: *b\n  port: 8080\n")]
    [InlineData("base: &b {image: shop:1.0, pull: Always, port: 80}\nsidecar:\n  port: 8080\n  <<: *b\n")]
    [InlineData("base: &b {image: shop:1.0, port: 80}\nextra: &e {pull: Always, image: other:2}\nsidecar:\n  <<: [*b, *e]\n  port: 8080\n")]
    [InlineData("sidecar:\n  <<: {image: shop:1.0, pull: Always, port: 80}\n  port: 8080\n")]
    [InlineData("sidecar:\n  !!merge <<: {image: shop:1.0, pull: Always, port: 80}\n  port: 8080\n")]
    public void Merge_keys_copy_the_entries_the_mapping_does_not_set_itself(string yaml)
    {
        // As kubectl and Helm read them (YAML 1.1 merge keys): the mapping's own keys win, then earlier merged maps.
        var (documents, error) = YamlDocuments.Read(yaml);
        Assert.Null(error);
        var sidecar = Assert.IsType<YamlMap>(Assert.IsType<YamlMap>(Assert.Single(documents))["sidecar"]);
        Assert.Equal(-1, sidecar.IndexOf("<<"));
        Assert.Equal("shop:1.0", sidecar.Scalar("image"));
        Assert.Equal("Always", sidecar.Scalar("pull"));
        Assert.Equal("8080", sidecar.Scalar("port"));
        Assert.Equal(3, sidecar.Count);
    }

    [Fact]
    public void A_quoted_merge_key_is_an_ordinary_key()
    {
        var (documents, error) = YamlDocuments.Read("sidecar:\n  \"<<\": {image: shop:1.0}\n");
        Assert.Null(error);
        var sidecar = Assert.IsType<YamlMap>(Assert.IsType<YamlMap>(Assert.Single(documents))["sidecar"]);
        Assert.IsType<YamlMap>(sidecar["<<"]);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: ConfigMap\ndata:\n  x: \"1\"\n  y: *missing\n", 5, 6)]
    [InlineData("apiVersion: v1\nkind: ConfigMap\ndata:\n  x: \"1\"\n\ty: \"2\"\n", 5, 1)]
    [InlineData("apiVersion: v1\nkind: ConfigMap\ndata:\n  x: \"1\"\n  \ty: \"2\"\n", 5, 3)]
    public void Errors_YamlDotNet_gives_no_position_for_are_placed_where_the_input_goes_wrong(string yaml, int line, int column)
    {
        // An unknown alias is found by its name; a tab used as indentation where it is, after the last readable node.
        var (_, error) = YamlDocuments.Read(yaml);
        Assert.NotNull(error);
        Assert.Equal(new SourcePosition(line, column), error.Position);
    }

    [Fact]
    public void Deep_flow_nesting_is_refused_before_the_recursive_parser_sees_it()
    {
        var (documents, error) = YamlDocuments.Read("a: " + new string('[', 200_000) + "\n");
        Assert.Empty(documents);
        Assert.NotNull(error);
        Assert.Equal(new SourcePosition(1, 4 + YamlDotNetConverter.MaxFlowDepth), error.Position);
    }

    [Fact]
    public void Nesting_below_the_bound_is_read()
    {
        int depth = YamlDotNetConverter.MaxFlowDepth - 1;
        var (documents, error) = YamlDocuments.Read(new string('[', depth) + new string(']', depth) + "\n");
        Assert.Null(error);
        Assert.IsType<YamlList>(Assert.Single(documents));
    }

    [Theory]
    [InlineData("...\na: b\n")]
    [InlineData("a: [x,\ny]\n")]
    [InlineData(" : x: y\n")]
    public void Inputs_that_make_YamlDotNet_throw_other_exceptions_are_syntax_errors(string yaml)
    {
        var (_, error) = YamlDocuments.Read(yaml);
        Assert.NotNull(error);
    }

    [Fact]
    public void Brackets_in_quotes_and_comments_do_not_count_as_nesting()
    {
        var deep = new string('[', YamlDotNetConverter.MaxFlowDepth + 10);
        Assert.Null(YamlDotNetConverter.TooDeep($"a: \"{deep}\"\nb: '{deep}'\n# {deep}\n"));
    }
}
