using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Tests.Engine;

/// <summary>Following a finding's field path through a source document and its rendered form.</summary>
public class KustomizeFieldPathTests
{
    private static YamlValue Read(string yaml) => Assert.Single(YamlDocuments.Read(yaml).Documents);

    private const string Source = "metadata:\n  annotations:\n    example.com/token: abc\n    example.com: other\nspec:\n  containers:\n    - name: app\n      image: app:1\n    - name: side\n      image: side:1\n";

    [Fact]
    public void Keys_holding_dots_are_matched_whole()
    {
        var (node, exact) = KustomizeFieldPath.Walk(Read(Source), Read(Source), "metadata.annotations.example.com/token");
        Assert.True(exact);
        Assert.Equal((3, 24), (node.Line, node.Column));
    }

    [Fact]
    public void List_items_are_matched_by_name_when_a_patch_put_another_first()
    {
        var rendered = Read("spec:\n  containers:\n    - name: debug\n      image: busybox\n    - name: side\n      image: side:2\n");
        var (node, exact) = KustomizeFieldPath.Walk(rendered, Read(Source), "spec.containers[1].image");
        // The source's side container, whose image a patch changed: the node is right, the value is not the rendered one.
        Assert.Equal((10, 14), (node.Line, node.Column));
        Assert.False(exact);
        var (added, _) = KustomizeFieldPath.Walk(rendered, Read(Source), "spec.containers[0].image");
        Assert.Equal((7, 5), (added.Line, added.Column)); // the debug container exists only in the patch: the list
    }

    [Fact]
    public void A_missing_field_stops_at_its_deepest_existing_parent()
    {
        var (node, exact) = KustomizeFieldPath.Walk(Read(Source), Read(Source), "spec.containers[0].securityContext.runAsNonRoot");
        Assert.False(exact);
        Assert.Equal((7, 7), (node.Line, node.Column)); // the first container, at its first key
    }
}
