using System.Text.RegularExpressions;
using Keyward.Audit.Credentials;

namespace Keyward.Audit.Rules.Credentials;

/// <summary>
/// OVHcloud API credentials: application key (16 characters), application secret and consumer key (32), under the
/// names the OVH SDKs, Karpenter's <c>ovh-credentials</c> Secret and the scripts use.
/// </summary>
public sealed partial class OvhCredentialRule : CredentialRule
{
    public override string Id => "KW203";
    public override string Name => "ovh-api-credentials";
    public override string Title => "OVHcloud API credentials committed";
    public override Severity Severity => Severity.Critical;
    public override Category Category => Category.CloudCredentials;
    public override string Why => "An OVHcloud application secret with its consumer key signs API calls with every access rule of the token; project-wide tokens control VMs, storage, networks and billing.";
    public override string Fix => "Revoke the consumer key (DELETE /me/api/credential/{id}), create a new one restricted to one cluster, and store it in a SOPS-encrypted Secret.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("ovh-application-key", "OVHcloud application key", ApplicationKey(), "application") { MinEntropy = 3 },
        new("ovh-application-secret", "OVHcloud application secret", ApplicationSecret(), "application") { MinEntropy = 3.5 },
        new("ovh-consumer-key", "OVHcloud consumer key", ConsumerKey(), "consumer") { MinEntropy = 3.5 },
    ];

    [GeneratedRegex(@"(?i)(?:ovh[_-]?)?application[_-]?key[""']?\s*(?:=|:|:=)\s*[""']?([A-Za-z0-9]{16})(?:[""'\s;,]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ApplicationKey();

    [GeneratedRegex(@"(?i)(?:ovh[_-]?)?application[_-]?secret[""']?\s*(?:=|:|:=)\s*[""']?([A-Za-z0-9]{32})(?:[""'\s;,]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ApplicationSecret();

    [GeneratedRegex(@"(?i)(?:ovh[_-]?)?consumer[_-]?key[""']?\s*(?:=|:|:=)\s*[""']?([A-Za-z0-9]{32})(?:[""'\s;,]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ConsumerKey();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("Karpenter's ovh-credentials Secret in plaintext", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\nstringData:\n  applicationKey: Ehh2FDEEtfjgVvVq\n  applicationSecret: E1SkHbn88HxjSI6bWHtP3fS2qHx6kwXo\n  consumerKey: IIXGvOoNZYW2mZp0zVZomHFwUbbYrEqm\n", true),
        new("environment variables of a container", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: karpenter\n  namespace: karpenter\nspec:\n  template:\n    spec:\n      containers:\n        - name: controller\n          image: karpenter:1.0\n          env:\n            - name: OVH_APPLICATION_SECRET\n              value: E1SkHbn88HxjSI6bWHtP3fS2qHx6kwXo\n", true),
        new("a script exporting the keys", "export OVH_CONSUMER_KEY=IIXGvOoNZYW2mZp0zVZomHFwUbbYrEqm\n", true, "hack/env.sh"),
        new("keys taken from variables", "kubectl create secret generic ovh-credentials -n karpenter \\\n  --from-literal=applicationKey=$APP_KEY \\\n  --from-literal=consumerKey=$NEW_CONSUMER_KEY\n", false, "rotate.sh"),
    ];
}
