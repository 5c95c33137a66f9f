using System.Text.RegularExpressions;
using Keyward.Audit.Credentials;
using static Keyward.Audit.Credentials.CredentialPattern;

namespace Keyward.Audit.Rules.Credentials;

/// <summary>AWS access key IDs and secret access keys.</summary>
public sealed partial class AwsKeyRule : CredentialRule
{
    public override string Id => "KW204";
    public override string Name => "aws-access-key";
    public override string Title => "AWS access key committed";
    public override Severity Severity => Severity.Critical;
    public override string Why => "An AWS key pair grants API access to the account with the permissions of its IAM user or role, from anywhere.";
    public override string Fix => "Deactivate and delete the key in IAM, remove it from the repository and its history, and use IAM roles for service accounts (IRSA) or a SOPS-encrypted Secret instead.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("aws-access-token", "AWS access key ID", AccessKeyId(), "a3t", "akia", "asia", "abia", "acca")
        { MinEntropy = 3, Allowlist = [Allow(DocumentationKey())] },
        new("aws-secret-access-key", "AWS secret access key", SecretAccessKey(), "aws") { MinEntropy = 4 },
    ];

    [GeneratedRegex(@"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b", RegexOptions.CultureInvariant)]
    private static partial Regex AccessKeyId();

    [GeneratedRegex(@"(?i)aws.{0,20}?secret.{0,20}?[\s'""]{0,3}(?:=|:|=>)[\s'""]{0,5}([A-Za-z0-9/+=]{40})(?:[\s'"";]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SecretAccessKey();

    [GeneratedRegex(".+EXAMPLE$", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentationKey();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("keys in an env file", "AWS_ACCESS_KEY_ID=AKIAEUVW75EFR6EDT4SY\nAWS_SECRET_ACCESS_KEY=Sc7Tvo+hBKqFYY+kv5ZJr3J1TWDtkwtDDb/xHKas\n", true, ".env"),
        new("the documentation's example key", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", false, "README.md"),
        new("a variable reference", "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}\n", false, "ci.sh"),
    ];
}

/// <summary>Google Cloud API keys and service-account key files.</summary>
public sealed partial class GcpKeyRule : CredentialRule
{
    public override string Id => "KW205";
    public override string Name => "gcp-credentials";
    public override string Title => "Google Cloud credential committed";
    public override Severity Severity => Severity.High;
    public override string Why => "A GCP API key or service-account key authenticates to Google Cloud APIs without any other factor; service-account keys do not expire.";
    public override string Fix => "Delete the key in the Cloud console, remove it from the repository and its history, and use Workload Identity or a SOPS-encrypted Secret.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("gcp-api-key", "Google Cloud API key", ApiKey(), "aiza") { MinEntropy = 4, Allowlist = [Allow(PublishedKey())] },
        new("gcp-service-account-key", "Google Cloud service-account key ID", ServiceAccountKeyId(), "private_key_id") { MinEntropy = 3 },
    ];

    [GeneratedRegex(@"\b(AIza[\w-]{35})(?:[\x60'""\s;]|\\[nr]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"""private_key_id""\s*:\s*""([0-9a-f]{40})""", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceAccountKeyId();

    [GeneratedRegex("^(?:" + PublicKeys + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex PublishedKey();

    /// <summary>Keys published on purpose (SDK samples, public web apps), from gitleaks' allowlist.</summary>
    private const string PublicKeys =
        "AIzaSyabcdefghijklmnopqrstuvwxyz1234567"
        + "|AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs"
        + "|AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM"
        + "|AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU"
        + "|AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0"
        + "|AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A"
        + "|AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c"
        + "|AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4"
        + "|AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY"
        + "|AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM"
        + "|AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ"
        + "|AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g"
        + "|AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU"
        + "|AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw"
        + "|AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE"
        + "|AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("an API key in a config file", "maps:\n  apiKey: AIza1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU\n", true, "values.yaml"),
        new("a service-account key file", "{\"type\": \"service_account\", \"private_key_id\": \"3f2b9c1d8e7a6f5b4c3d2e1f0a9b8c7d6e5f4a3b\"}\n", true, "sa.json"),
        new("a low-entropy placeholder", "apiKey: AIzaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", false, "values.yaml"),
    ];
}

/// <summary>Azure AD (Entra ID) client secrets.</summary>
public sealed partial class AzureClientSecretRule : CredentialRule
{
    public override string Id => "KW206";
    public override string Name => "azure-client-secret";
    public override string Title => "Azure client secret committed";
    public override Severity Severity => Severity.High;
    public override string Why => "An Entra ID client secret lets anyone act as the application and use every permission granted to it.";
    public override string Fix => "Delete the secret in the app registration, remove it from the repository and its history, and use workload identity federation or a SOPS-encrypted Secret.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("azure-ad-client-secret", "Azure AD client secret", ClientSecret(), "q~") { MinEntropy = 3 },
    ];

    [GeneratedRegex(@"(?:^|[\\'""\x60\s>=:(,)])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\'""\x60\s<),])", RegexOptions.CultureInvariant)]
    private static partial Regex ClientSecret();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a client secret in a values file", "azure:\n  clientSecret: Xk28Q~Jfm.5di4P.-zJ5-9.FHz5r1pY4OjE2jB\n", true, "values.yaml"),
        new("too short to be one", "note: abc8Q~short\n", false, "notes.txt"),
    ];
}
