using Keyward.Manifests;

namespace Keyward.Manifests.Tests;

public class WorkloadsTests
{
    private static ManifestDocument Load(string yaml) => ManifestLoader.Load(yaml, "x.yaml").Documents[0];

    [Theory]
    [InlineData("Pod", "spec:\n  containers:\n    - name: a\n", "spec")]
    [InlineData("Deployment", "spec:\n  template:\n    spec:\n      containers:\n        - name: a\n", "spec.template.spec")]
    [InlineData("PodTemplate", "template:\n  spec:\n    containers:\n      - name: a\n", "template.spec")]
    [InlineData("Rollout", "spec:\n  template:\n    spec:\n      containers:\n        - name: a\n", "spec.template.spec")]
    [InlineData("CronJob", "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: a\n", "spec.jobTemplate.spec.template.spec")]
    public void Pod_specs_are_found_for_every_kind_that_runs_pods(string kind, string body, string path)
    {
        var pod = Workloads.FindPodSpec(Load($"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: x\n{body}"));
        Assert.NotNull(pod);
        Assert.Equal(path, pod.Path);
        var container = Assert.Single(Workloads.Containers(pod));
        Assert.Equal($"{path}.containers[0]", container.Path);
        Assert.Equal("a", container.Name);
    }

    [Fact]
    public void Init_and_ephemeral_containers_come_after_the_containers()
    {
        var pod = Workloads.FindPodSpec(Load("kind: Pod\nspec:\n  initContainers:\n    - name: i\n  containers:\n    - name: c\n  ephemeralContainers:\n    - name: e\n"))!;
        Assert.Equal(["c", "i", "e"], Workloads.Containers(pod).Select(c => c.Name));
        Assert.Equal([false, true, true], Workloads.Containers(pod).Select(c => c.IsInit));
        Assert.Equal([false, false, true], Workloads.Containers(pod).Select(c => c.IsEphemeral));
        Assert.Equal(["c"], Workloads.Containers(pod, includeInit: false).Select(c => c.Name));
    }

    [Fact]
    public void Objects_that_run_no_pods_have_no_pod_spec()
    {
        Assert.Null(Workloads.FindPodSpec(Load("kind: ConfigMap\ndata:\n  a: b\n")));
        Assert.Null(Workloads.FindPodSpec(Load("kind: Deployment\nspec: {}\n")));
    }

    [Fact]
    public void Template_labels_are_the_pod_labels()
    {
        var pod = Workloads.FindPodSpec(Load("kind: Deployment\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers: []\n"))!;
        Assert.Equal("web", Workloads.PodLabels(pod)["app"]);
    }
}

public class YamlNavigationTests
{
    [Fact]
    public void Typed_lookups_tolerate_missing_and_mistyped_nodes()
    {
        var root = ManifestLoader.Load("a: true\nb: \"False\"\nc: [x, y]\nd: 42\ne: text\nf:\n  g: 1\n", "x.yaml").Documents[0].Root;
        Assert.True(root.Bool("a"));
        Assert.False(root.Bool("b"));
        Assert.Null(root.Bool("e"));
        Assert.Equal(["x", "y"], root.Strings("c"));
        Assert.Equal(["text"], root.Strings("e"));
        Assert.Empty(root.Strings("missing"));
        Assert.Equal(42, root.Number("d"));
        Assert.Null(root.Number("e"));
        Assert.NotNull(root.Mapping("f"));
        Assert.Null(root.Mapping("c"));
        Assert.Null(root.Sequence("f"));
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("Yes", true)]
    [InlineData("YES", true)]
    [InlineData("y", true)]
    [InlineData("Y", true)]
    [InlineData("on", true)]
    [InlineData("On", true)]
    [InlineData("ON", true)]
    [InlineData("no", false)]
    [InlineData("No", false)]
    [InlineData("NO", false)]
    [InlineData("n", false)]
    [InlineData("N", false)]
    [InlineData("off", false)]
    [InlineData("Off", false)]
    [InlineData("OFF", false)]
    [InlineData("!!bool yes", true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("\"false\"", false)] // read as meant, as before (kubectl refuses it either way)
    [InlineData("\"yes\"", null)] // quoted: text
    [InlineData("'on'", null)]
    [InlineData("!!str yes", null)]
    [InlineData("yEs", null)] // not a spelling go-yaml v2 lists
    [InlineData("oN", null)]
    [InlineData("|\n    yes", null)]
    [InlineData("[yes]", null)]
    [InlineData("1", null)]
    public void Booleans_are_read_as_kubectl_reads_them(string written, bool? expected)
    {
        var root = ManifestLoader.Load($"field: {written}\n", "x.yaml").Documents[0].Root;
        Assert.Equal(expected, root.Bool("field"));
    }

    [Fact]
    public void Key_nodes_carry_the_key_position()
    {
        var root = ManifestLoader.Load("apiVersion: v1\nkind: Secret\nstringData:\n  token: x\n", "x.yaml").Documents[0].Root;
        Assert.Equal(new SourcePosition(3, 1), root.KeyNode("stringData")!.Position());
        Assert.Equal(new SourcePosition(4, 10), root.Mapping("stringData")!.Child("token")!.Position());
    }

    [Fact]
    public void Json_manifests_have_positions_too()
    {
        var doc = ManifestLoader.Load("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"spec\": {\"hostPID\": true}\n}\n", "pod.json").Documents[0];
        Assert.Equal("Pod", doc.Kind);
        Assert.Equal(4, doc.Root.Mapping("spec")!.Child("hostPID")!.Position().Line);
    }

    [Fact]
    public void List_items_are_documents_of_their_own()
    {
        var result = ManifestLoader.Load("apiVersion: v1\nkind: List\nitems:\n  - kind: Pod\n    metadata:\n      name: a\n  - kind: Service\n    metadata:\n      name: b\n", "list.yaml");
        Assert.Equal(["List", "Pod", "Service"], result.Documents.Select(d => d.Kind));
        Assert.Equal(4, result.Documents[1].Start.Line);
    }
}
