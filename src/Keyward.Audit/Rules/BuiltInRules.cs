using Keyward.Audit.Rules.Cloud;
using Keyward.Audit.Rules.Credentials;
using Keyward.Audit.Rules.Gitops;
using Keyward.Audit.Rules.Hardening;
using Keyward.Audit.Rules.Namespaces;
using Keyward.Audit.Rules.Rbac;
using Keyward.Audit.Rules.Secrets;

namespace Keyward.Audit.Rules;

/// <summary>Every rule Keyward ships, in ID order.</summary>
public static class BuiltInRules
{
    public static IEnumerable<Rule> All() => new Rule[]
    {
        new ParseErrorRule(),
        new PlaintextSecretRule(), new SopsDamagedRule(), new ConfigMapCredentialRule(), new EnvCredentialRule(), new AnnotationCredentialRule(),
        new HelmValuesSecretRule(), new SopsAgeKeySecretRule(), new SecretEnvVarRule(), new SecretNamespaceRule(),
        new PrivateKeyRule(), new AgeSecretKeyRule(), new OvhCredentialRule(), new AwsKeyRule(), new GcpKeyRule(), new AzureClientSecretRule(),
        new GitHubTokenRule(), new GitLabTokenRule(), new SlackTokenRule(), new JwtRule(), new GenericApiKeyRule(), new PasswordInUrlRule(),
        new ClusterAdminBindingRule(), new RbacWildcardRule(), new SecretsReadRule(), new EscalationVerbsRule(), new PodCreateExecRule(),
        new ClusterBindingForOneNamespaceRule(), new DefaultServiceAccountGrantRule(), new BindingToEveryoneRule(), new SecretsCreateRule(),
        new RunAsNonRootRule(), new PrivilegeEscalationRule(), new ReadOnlyRootFilesystemRule(), new PrivilegedContainerRule(),
        new CapabilitiesRule(), new SeccompRule(), new HostNamespacesRule(), new HostPathRule(),
        new ResourceRequestsRule(),
        new MutableImageTagRule(), new ImageDigestRule(),
        new AutomountTokenRule(), new DefaultServiceAccountRule(),
        new NamespaceQuotaRule(), new NamespaceLimitRangeRule(), new DefaultDenyRule(), new PodNotIsolatedRule(), new DefaultNamespaceRule(),
        new OvhAccessRulesRule(), new RotationDueRule(), new FluxDecryptionRule(), new FluxSopsSeveralObjectsRule(),
    }.OrderBy(r => r.Id, StringComparer.Ordinal);
}
