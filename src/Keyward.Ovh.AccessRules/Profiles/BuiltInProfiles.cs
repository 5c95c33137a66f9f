using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Profiles;

/// <summary>
/// The components that hold OVHcloud credentials in a Kubernetes cluster, each with the smallest rule set the calls
/// in its source need. Calls were read in the files named by <see cref="OvhProfile.Source"/>.
/// </summary>
public static class BuiltInProfiles
{
    private const string Cluster = "/cloud/project/{serviceName}/kube/{kubeId}";
    private const string Zone = "/domain/zone/{zone}";

    private static readonly ProfileParameter ServiceName = new("serviceName", "--service-name", "public cloud project id (serviceName)");
    private static readonly ProfileParameter KubeId = new("kubeId", "--kube-id", "MKS cluster id (kubeId)");
    private static readonly ProfileParameter ZoneName = new("zone", "--zone", "DNS zone name");

    public static OvhProfile Karpenter { get; } = new()
    {
        Name = "karpenter-mks",
        Component = "Karpenter provider for OVHcloud MKS",
        Source = "antonin-a/karpenter-provider-ovhcloud docs/SECURITY.md (the eight rules) and pkg/client/client.go",
        Parameters = [ServiceName, KubeId],
        Rules =
        [
            Rule("GET", Cluster, Call("GET", Cluster, "get cluster info (region auto-detection)")),
            Rule("GET", Cluster + "/nodepool", Call("GET", Cluster + "/nodepool", "list node pools")),
            Rule("GET", Cluster + "/nodepool/*",
                Call("GET", Cluster + "/nodepool/{nodePoolId}", "get pool details"),
                Call("GET", Cluster + "/nodepool/{nodePoolId}/nodes", "list the nodes of a pool")),
            Rule("POST", Cluster + "/nodepool", Call("POST", Cluster + "/nodepool", "create node pools")),
            Rule("PUT", Cluster + "/nodepool/*", Call("PUT", Cluster + "/nodepool/{nodePoolId}", "update pools (scale up/down, and the scale-down fallback of node deletion)")),
            Rule("DELETE", Cluster + "/nodepool/*", Call("DELETE", Cluster + "/nodepool/{nodePoolId}", "delete node pools")),
            Rule("GET", Cluster + "/flavors", Call("GET", Cluster + "/flavors", "list available instance types")),
            Rule("GET", "/cloud/project/{serviceName}/capabilities/kube/*",
                Call("GET", "/cloud/project/{serviceName}/capabilities/kube/regions", "MKS regions (optional)"),
                Call("GET", "/cloud/project/{serviceName}/capabilities/kube/flavors?region={region}", "flavors of a region (optional; the query is not matched)")),
        ],
        Options =
        [
            new ProfileOption("node-deletion",
                "delete one node precisely (DeleteNode). The guide's eight rules do not cover it: the call gets NOT_GRANTED_CALL, "
                + "Karpenter logs \"Specific node deletion failed, falling back to scale down\" and lowers desiredNodes with PUT nodepool instead, "
                + "which lets MKS pick the node to remove",
                [Rule("DELETE", Cluster + "/node/*", Call("DELETE", Cluster + "/node/{nodeId}", "delete a node (DeleteNode)"))]),
        ],
        Notes =
        [
            "the guide's pre-filled URL uses https://api.ovh.com (the legacy EU host) and https://us.api.ovh.com for US, which no SDK uses; keyward uses the SDK hosts",
        ],
    };

    public static OvhProfile ClusterAutoscaler { get; } = new()
    {
        Name = "cluster-autoscaler-mks",
        Component = "Kubernetes cluster-autoscaler, OVHcloud provider (authentication_type: consumer)",
        Source = "kubernetes/autoscaler cluster-autoscaler/cloudprovider/ovhcloud/ovh_cloud_manager.go (ClientInterface) and sdk/nodepool.go, sdk/flavor.go",
        Parameters = [ServiceName, KubeId],
        Rules =
        [
            Rule("GET", Cluster + "/nodepool", Call("GET", Cluster + "/nodepool", "ListNodePools")),
            Rule("GET", Cluster + "/nodepool/*/nodes", Call("GET", Cluster + "/nodepool/{nodePoolId}/nodes", "ListNodePoolNodes")),
            Rule("PUT", Cluster + "/nodepool/*", Call("PUT", Cluster + "/nodepool/{nodePoolId}", "UpdateNodePool: resize, nodesToRemove")),
            Rule("GET", Cluster + "/flavors", Call("GET", Cluster + "/flavors", "ListClusterFlavors (cached one hour)")),
        ],
        Options =
        [
            new ProfileOption("autoprovisioning",
                "node-group auto-provisioning (--node-autoprovisioning-enabled): NodeGroup.Create and Delete create and delete whole pools",
                [
                    Rule("POST", Cluster + "/nodepool", Call("POST", Cluster + "/nodepool", "CreateNodePool")),
                    Rule("DELETE", Cluster + "/nodepool/*", Call("DELETE", Cluster + "/nodepool/{nodePoolId}", "DeleteNodePool")),
                ]),
        ],
        Notes =
        [
            "GET nodepool/*/nodes uses a mid-path '*' (it still matches across '/'): narrower than GET nodepool/*, which would also read pool details the autoscaler never asks for",
        ],
    };

    public static OvhProfile ExternalDns { get; } = new()
    {
        Name = "external-dns",
        Component = "ExternalDNS, OVH provider",
        Source = "kubernetes-sigs/external-dns provider/ovh/ovh.go",
        Parameters = [ZoneName],
        Rules =
        [
            Rule("GET", "/domain/zone", Call("GET", "/domain/zone", "list zones, then keep those matching --domain-filter")),
            Rule("GET", Zone + "/soa", Call("GET", Zone + "/soa", "SOA serial for the record cache (on by default)")),
            Rule("GET", Zone + "/record", Call("GET", Zone + "/record", "list record ids")),
            Rule("GET", Zone + "/record/*", Call("GET", Zone + "/record/{recordId}", "read a record")),
            Rule("POST", Zone + "/record", Call("POST", Zone + "/record", "create a record")),
            Rule("PUT", Zone + "/record/*", Call("PUT", Zone + "/record/{recordId}", "update a record")),
            Rule("DELETE", Zone + "/record/*", Call("DELETE", Zone + "/record/{recordId}", "delete a record")),
            Rule("POST", Zone + "/refresh", Call("POST", Zone + "/refresh", "apply the zone's changes")),
        ],
        Notes =
        [
            "external-dns always lists every zone of the account (GET /domain/zone) before filtering: that rule reveals zone names and is graded medium",
            "one credential per zone: run one instance per zone, or add the rules of each zone with 'keyward ovh rules' several times",
        ],
    };

    public static OvhProfile CertManagerDns01 { get; } = new()
    {
        Name = "cert-manager-dns01",
        Component = "cert-manager DNS-01 webhook for OVH (cert-manager-webhook-ovh)",
        Source = "baarde/cert-manager-webhook-ovh main.go",
        Parameters = [ZoneName],
        Rules =
        [
            Rule("GET", Zone + "/status", Call("GET", Zone + "/status", "check that the zone is deployed")),
            Rule("GET", Zone + "/record", Call("GET", Zone + "/record?fieldType=TXT&subDomain={subDomain}", "find the challenge TXT records (the query is not matched)")),
            Rule("GET", Zone + "/record/*", Call("GET", Zone + "/record/{recordId}", "read a TXT record before deleting it")),
            Rule("POST", Zone + "/record", Call("POST", Zone + "/record", "create the challenge TXT record")),
            Rule("DELETE", Zone + "/record/*", Call("DELETE", Zone + "/record/{recordId}", "delete the challenge TXT record")),
            Rule("POST", Zone + "/refresh", Call("POST", Zone + "/refresh", "apply the zone's changes")),
        ],
        Notes =
        [
            "the webhook's README asks for GET/PUT/POST/DELETE /domain/zone/* (every zone, graded high); it never calls PUT",
            "OVH rules cannot restrict the record type: these rules allow any record of the zone, not only TXT",
        ],
    };

    public static IReadOnlyList<OvhProfile> All { get; } = [Karpenter, ClusterAutoscaler, ExternalDns, CertManagerDns01];

    public static OvhProfile? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The built-in profile whose rules <paramref name="rules"/> are exactly (for some ids and options), with those ids
    /// and options; null when they are no profile's. Lets a file name the profile its key was requested with even when
    /// nobody said which, since audits and rotation trust that name and grade against its level.
    /// </summary>
    public static (OvhProfile Profile, ProfileMatch Match)? Recognize(IReadOnlyList<AccessRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var profile in All)
        {
            if (profile.Match(rules) is { } match)
                return (profile, match);
        }
        return null;
    }

    private static ProfileRule Rule(string method, string path, params ApiCall[] calls) => new(method, path, calls);

    private static ApiCall Call(string method, string path, string purpose) => new(method, path, purpose);
}
