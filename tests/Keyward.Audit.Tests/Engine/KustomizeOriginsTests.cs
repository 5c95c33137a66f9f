namespace Keyward.Audit.Tests.Engine;

/// <summary>Reading and cutting the origin annotations kustomize adds for us.</summary>
public class KustomizeOriginsTests
{
    private static readonly string Overlay = Path.Combine(Path.GetTempPath(), "overlay");

    [Fact]
    public void Origins_are_read_and_cut_leaving_other_annotations()
    {
        const string output = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      configuredIn: ../app/kustomization.yaml\n      configuredBy:\n        apiVersion: builtin\n        kind: ConfigMapGenerator\n  name: settings-t2hmhtdth5\n---\napiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ../app/svc.yaml\n    team: a\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      repo: https://github.com/example/base\n      path: svc.yaml\n  name: remote\n";
        var (text, origins) = KustomizeOrigins.Strip(output, Overlay)!.Value;
        Assert.Equal("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-t2hmhtdth5\n---\napiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    team: a\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: remote\n", text);
        Assert.Equal(new KustomizeOrigin(Path.GetFullPath(Path.Combine(Overlay, "../app/kustomization.yaml")), "ConfigMapGenerator"), origins[0]);
        Assert.Equal(new KustomizeOrigin(Path.GetFullPath(Path.Combine(Overlay, "../app/svc.yaml")), null), origins[1]);
        Assert.Null(origins[2]); // a remote base has no local file
    }

    [Fact]
    public void Output_not_laid_out_as_kubectl_does_is_not_cut()
    {
        Assert.Null(KustomizeOrigins.Strip("kind: Service\nmetadata:\n  annotations: {config.kubernetes.io/origin: 'path: a.yaml'}\n  name: web\n", Overlay));
    }
}
