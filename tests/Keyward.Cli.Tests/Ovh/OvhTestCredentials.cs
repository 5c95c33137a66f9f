namespace Keyward.Cli.Tests.Ovh;

/// <summary>The application and consumer key the contract server knows in the OVH API tests, and karpenter-mks's rules for p1/k1.</summary>
internal static class OvhTestCredentials
{
    public const string AppKey = "AppKeyForTests01";
    public const string AppSecret = "AppSecretValueNeverPrinted000001";
    public const string ConsumerKey = "ConsumerKeyValueNeverPrinted0001";

    public static readonly (string, string)[] KarpenterRules =
    [
        ("GET", "/cloud/project/p1/kube/k1"), ("GET", "/cloud/project/p1/kube/k1/nodepool"), ("GET", "/cloud/project/p1/kube/k1/nodepool/*"),
        ("POST", "/cloud/project/p1/kube/k1/nodepool"), ("PUT", "/cloud/project/p1/kube/k1/nodepool/*"), ("DELETE", "/cloud/project/p1/kube/k1/nodepool/*"),
        ("GET", "/cloud/project/p1/kube/k1/flavors"), ("GET", "/cloud/project/p1/capabilities/kube/*"),
    ];
}
