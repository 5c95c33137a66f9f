using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Grading;

/// <summary>
/// Write rules that reach the calls administering an MKS cluster itself. The guide grades everything under one cluster
/// as minimal, which is right about the reach (nothing outside that cluster) and is kept; but under
/// <c>/cloud/project/P/kube/K</c> lie, beside the node pools an autoscaler needs, the calls that hand the cluster over
/// (a cluster-admin kubeconfig, an OIDC provider for API logins) or wipe it. A level cannot say that, so a caution does.
/// </summary>
internal static class ClusterWrites
{
    /// <summary>The administration calls under a cluster (OVHcloud API, <c>/cloud/project/{serviceName}/kube/{kubeId}</c>).</summary>
    private static readonly AdminCall[] AdminCalls =
    [
        new("POST", "/kubeconfig", "/kubeconfig", "a cluster-admin kubeconfig"),
        new("POST", "/reset", "/reset", "reinstalls the cluster, erasing its workloads"),
        new("POST", "/openIdConnect", "/openIdConnect", "API logins through an OIDC provider of the holder's choice"),
        new("PUT", "/openIdConnect", "/openIdConnect", "API logins through an OIDC provider of the holder's choice"),
        new("PUT", "/customization", "/customization", "the API server's admission plugins"),
        new("PUT", "/ipRestrictions", "/ipRestrictions", "which addresses may reach the API server"),
        new("DELETE", "/openIdConnect", "/openIdConnect", "removes the OIDC login configuration"),
        new("DELETE", "/ipRestrictions/{ip}", "/ipRestrictions/192.0.2.1", "lifts the API server's address restrictions"),
    ];

    // A class, not a value tuple: LINQ over an array of value tuples is code no ReadyToRun image holds, compiled at
    // run time wherever rules are graded (the audit's included).
    private sealed record AdminCall(string Method, string Path, string Sample, string What);

    /// <summary>
    /// The administration calls <paramref name="rule"/> allows, as a sentence (<c>allows POST .../kubeconfig (...)</c>),
    /// or null. Judged by matching the rule against each call on a cluster it reaches, not by its text: a wildcard over
    /// the cluster, a star cutting a segment (<c>.../kube*</c>) and the exact call all count, node pool rules do not.
    /// </summary>
    public static string? Caution(AccessRule rule)
    {
        if (rule.Method == "GET" || AccessRule.UnboundedSegment(rule.Path) is not null)
            return null;
        var shape = Shape(rule);
        if (!shape.Under("cloud", "project", "{}", "kube"))
            return null;
        // A cluster the rule reaches: its own, or for a pattern that stops at (or inside) the cluster id, an id it allows.
        string? cluster = shape.Length >= 5 ? $"/cloud/project/{shape[2]}/kube/{shape[4]}" : rule.HasWildcard ? rule.LiteralPrefix + "k" : null;
        if (cluster is null)
            return null;
        var allowed = AdminCalls.Where(c => rule.Allows(c.Method, cluster + c.Sample)).Select(c => $"{c.Method} ...{c.Path} ({c.What})").ToList();
        return allowed.Count == 0 ? null : "allows " + string.Join(", ", allowed);
    }

    /// <summary>What to use instead, with the rule's own ids: the profiles that need none of these calls.</summary>
    public static string Advice(AccessRule rule)
    {
        var shape = Shape(rule);
        var ids = (shape.Length >= 3 ? $" --service-name {shape[2]}" : "") + (shape.Length >= 5 ? $" --kube-id {shape[4]}" : "");
        return $"an autoscaler needs none of these calls: keyward ovh rules --profile karpenter-mks{ids} prints the rules Karpenter needs "
            + "(cluster-autoscaler-mks for cluster-autoscaler)";
    }

    private static PathShape Shape(AccessRule rule) => new(rule.HasWildcard ? rule.LiteralPrefix : rule.Path, !rule.HasWildcard);
}
