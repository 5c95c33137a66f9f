using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Rbac;

/// <summary>One policy rule of a Role or ClusterRole, with its path (<c>rules[2]</c>).</summary>
internal sealed record PolicyRule(ManifestDocument Role, YamlMap Node, string Path)
{
    public IReadOnlyList<string> Verbs => Node.Strings("verbs");
    public IReadOnlyList<string> Resources => Node.Strings("resources");
    public IReadOnlyList<string> ApiGroups => Node.Strings("apiGroups");
    public IReadOnlyList<string> ResourceNames => Node.Strings("resourceNames");

    /// <summary>Does the rule cover <paramref name="resource"/> of the core group (or every group)?</summary>
    public bool CoversCore(string resource) =>
        (ApiGroups.Count == 0 || ApiGroups.Contains("") || ApiGroups.Contains("*"))
        && (Resources.Contains(resource) || Resources.Contains("*"));

    public bool Grants(string verb) => Verbs.Contains(verb) || Verbs.Contains("*");
}

/// <summary>RBAC navigation: policy rules of roles, subjects of bindings.</summary>
internal static class RbacModel
{
    public static bool IsRole(ManifestDocument d) => d.Kind is "Role" or "ClusterRole";

    public static bool IsBinding(ManifestDocument d) => d.Kind is "RoleBinding" or "ClusterRoleBinding";

    public static IEnumerable<PolicyRule> Rules(ManifestDocument role)
    {
        foreach (var (index, rule) in role.Root.Sequence("rules").Mappings())
            yield return new PolicyRule(role, rule, $"rules[{index}]");
    }

    public static IEnumerable<(int Index, YamlMap Subject)> Subjects(ManifestDocument binding) =>
        binding.Root.Sequence("subjects").Mappings();

    /// <summary>The namespace a subject lives in (a ServiceAccount without one is in the binding's namespace).</summary>
    public static string? SubjectNamespace(ManifestDocument binding, YamlMap subject) =>
        subject.Scalar("namespace") ?? (subject.Scalar("kind") == "ServiceAccount" ? binding.Reference.Namespace : null);

    public static string DescribeSubject(YamlMap s) =>
        $"{s.Scalar("kind")} {(s.Scalar("namespace") is { } ns ? ns + "/" : "")}{s.Scalar("name")}";
}
