using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Tests.Contract;

using static Keyward.Cli.Tests.Ovh.OvhTestCredentials;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>
/// Write rules over a whole cluster keep the guide's grade (minimal: one cluster) but check, inspect and rotate say
/// what else they allow (a cluster-admin kubeconfig, a reset) and which narrow rules Karpenter needs instead.
/// </summary>
public sealed class OvhClusterWriteCautionCliTests : IDisposable
{
    private const string WideKey = "WideConsumerKeyNeverPrinted00001";
    private static readonly (string, string)[] WholeCluster =
    [
        ("GET", "/cloud/project/P1/kube/K1/*"), ("POST", "/cloud/project/P1/kube/K1/*"),
        ("PUT", "/cloud/project/P1/kube/K1/*"), ("DELETE", "/cloud/project/P1/kube/K1/*"),
    ];

    private readonly OvhContractServer server = new();
    private readonly TempDir dir = new();

    public OvhClusterWriteCautionCliTests()
    {
        server.AddApplication(AppKey, AppSecret);
        server.AddCredential(AppKey, WideKey, WholeCluster);
    }

    public void Dispose()
    {
        server.Dispose();
        dir.Dispose();
    }

    private static string? Env(string name) => name switch
    {
        "OVH_APPLICATION_SECRET" => AppSecret,
        "OVH_CONSUMER_KEY" => WideKey,
        _ => null,
    };

    private static void AssertCaution(string text)
    {
        Assert.Contains("caution: POST /cloud/project/P1/kube/K1/* allows ", text, StringComparison.Ordinal);
        Assert.Contains("POST .../kubeconfig (a cluster-admin kubeconfig)", text, StringComparison.Ordinal);
        Assert.Contains("POST .../reset", text, StringComparison.Ordinal);
        Assert.Contains("keyward ovh rules --profile karpenter-mks --service-name P1 --kube-id K1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("caution: GET", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_keeps_the_grade_and_shows_the_caution()
    {
        var result = CliRunner.Run(["ovh", "check", .. WholeCluster.Select(r => $"{r.Item1} {r.Item2}")]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("overall: minimal (recommended)", result.StdoutText, StringComparison.Ordinal);
        AssertCaution(result.StdoutText);
    }

    [Fact]
    public void Inspect_shows_it_for_the_credentials_rules()
    {
        var result = CliRunner.Run(["ovh", "inspect", "--endpoint", server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(result.ExitCode == 0, result.Stderr);
        AssertCaution(result.StdoutText);
    }

    [Fact]
    public void Rotate_warns_before_it_gives_the_new_key_the_same_rules()
    {
        using var identity = X25519Identity.Generate();
        var keyFile = dir.File("age.key");
        File.WriteAllText(keyFile, identity.ExportSecretKey() + "\n");
        var file = dir.File("ovh.sops.yaml");
        var written = CliRunner.Run(["ovh", "secret", "--namespace", "karpenter", "-o", file, "--age", identity.Recipient.ToString()!,
            "--endpoint", server.BaseUrl, "--application-key", AppKey], environment: Env);
        Assert.True(written.ExitCode == 0, written.Stderr);

        server.ValidateOnCall = 1;
        var result = CliRunner.Run(["ovh", "rotate", file, "-i", keyFile, "--poll-interval", "50ms", "--timeout", "30s"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("keyward: warning: POST /cloud/project/P1/kube/K1/* allows POST .../kubeconfig", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward ovh rules --profile karpenter-mks", result.Stderr, StringComparison.Ordinal);
    }
}
