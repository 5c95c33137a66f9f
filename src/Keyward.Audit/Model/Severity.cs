namespace Keyward.Audit;

/// <summary>How bad a finding is; ordered so that thresholds compare (<c>--fail-on high</c>).</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>The area a rule belongs to, as the issue names them.</summary>
public enum Category
{
    Secrets,
    Credentials,
    Rbac,
    WorkloadSecurity,
    Resources,
    Images,
    ServiceAccounts,
    Network,
    Namespaces,
    CloudCredentials,
    Gitops,
}

public static class AuditNames
{
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    public static Severity? ParseSeverity(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "INFO" => Severity.Info,
        "LOW" => Severity.Low,
        "MEDIUM" => Severity.Medium,
        "HIGH" => Severity.High,
        "CRITICAL" => Severity.Critical,
        _ => null,
    };

    public static string Name(this Category category) => category switch
    {
        Category.Secrets => "secrets",
        Category.Credentials => "credentials",
        Category.Rbac => "rbac",
        Category.WorkloadSecurity => "workload-security",
        Category.Resources => "resources",
        Category.Images => "images",
        Category.ServiceAccounts => "service-accounts",
        Category.Network => "network",
        Category.Namespaces => "namespaces",
        Category.CloudCredentials => "cloud-credentials",
        Category.Gitops => "gitops",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    public static Category? ParseCategory(string? text) =>
        Enum.GetValues<Category>().Cast<Category?>().FirstOrDefault(c => c!.Value.Name() == text?.Trim().ToLowerInvariant());
}
