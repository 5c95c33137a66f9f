namespace Keyward.Audit.Tests.Engine;

public class KustomizeRenderTests
{
    [Fact]
    public void The_reason_is_the_message_of_kubectl_klog_block_without_its_header()
    {
        // kubectl 1.32's output for a remote base it cannot fetch (taken from a run on this project's machine).
        const string stderr = "E1122 18:26:16.002797    8548 run.go:72] \"command failed\" err=<\n" +
            "\taccumulating resources: accumulation err='accumulating resources from 'remote': must resolve to a file'\n" +
            "\t: exit status 128\n >\n";
        var reason = KustomizeRender.Reason(stderr);
        Assert.Equal("accumulating resources: accumulation err='accumulating resources from 'remote': must resolve to a file' : exit status 128", reason);
        Assert.DoesNotContain("run.go", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reason_is_the_message_of_kubectl_one_line_klog_error_without_its_header()
    {
        // kubectl 1.32's output for a kustomization whose resource is missing (taken from a run on this project's machine).
        const string stderr = "E1122 21:20:44.576971    8059 run.go:72] \"command failed\" err=\"accumulating resources: accumulation " +
            "err='accumulating resources from 'missing.yaml': evalsymlink failure on '/tmp/kzbad/missing.yaml' : lstat " +
            "/tmp/kzbad/missing.yaml: no such file or directory': must build at directory: \\\"quoted\\\" part\"\n";
        var reason = KustomizeRender.Reason(stderr);
        Assert.StartsWith("accumulating resources: accumulation err='accumulating resources from 'missing.yaml'", reason, StringComparison.Ordinal);
        Assert.EndsWith("must build at directory: \"quoted\" part", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("run.go", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_line_or_else_the_first_line_is_the_reason()
    {
        Assert.Equal("no kustomization file found", KustomizeRender.Reason("some warning\nerror: no kustomization file found\n"));
        Assert.Equal("something odd", KustomizeRender.Reason("\n  something odd  \nmore\n"));
        Assert.Equal("no message", KustomizeRender.Reason(""));
    }

    [Fact]
    public void A_long_reason_keeps_its_start_and_its_root_cause()
    {
        var reason = KustomizeRender.Reason("error: start " + new string('x', 2_000) + " Could not resolve host\n");
        Assert.True(reason.Length < 400, reason);
        Assert.StartsWith("start ", reason, StringComparison.Ordinal);
        Assert.EndsWith("Could not resolve host", reason, StringComparison.Ordinal);
    }
}
