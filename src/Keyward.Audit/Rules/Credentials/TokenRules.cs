using System.Text.RegularExpressions;
using Keyward.Audit.Credentials;

namespace Keyward.Audit.Rules.Credentials;

/// <summary>GitHub tokens (classic and fine-grained PATs, OAuth, app and refresh tokens).</summary>
public sealed partial class GitHubTokenRule : CredentialRule
{
    public override string Id => "KW207";
    public override string Name => "github-token";
    public override string Title => "GitHub token committed";
    public override Severity Severity => Severity.High;
    public override string Why => "A GitHub token gives its scopes on the owner's repositories: in a GitOps repository that is usually write access to the repository that deploys the cluster.";
    public override string Fix => "Revoke the token on GitHub, remove it from the repository and its history, and give Flux or CI a deploy key or a token from a SOPS-encrypted Secret.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("github-pat", "GitHub personal access token", PersonalAccessToken(), "ghp_") { MinEntropy = 3 },
        new("github-fine-grained-pat", "GitHub fine-grained access token", FineGrainedToken(), "github_pat_") { MinEntropy = 3 },
        new("github-oauth", "GitHub OAuth token", OAuthToken(), "gho_") { MinEntropy = 3 },
        new("github-app-token", "GitHub app token", AppToken(), "ghu_", "ghs_") { MinEntropy = 3 },
        new("github-refresh-token", "GitHub refresh token", RefreshToken(), "ghr_") { MinEntropy = 3 },
    ];

    [GeneratedRegex("ghp_[0-9a-zA-Z]{36}", RegexOptions.CultureInvariant)]
    private static partial Regex PersonalAccessToken();

    [GeneratedRegex(@"github_pat_\w{82}", RegexOptions.CultureInvariant)]
    private static partial Regex FineGrainedToken();

    [GeneratedRegex("gho_[0-9a-zA-Z]{36}", RegexOptions.CultureInvariant)]
    private static partial Regex OAuthToken();

    [GeneratedRegex("(?:ghu|ghs)_[0-9a-zA-Z]{36}", RegexOptions.CultureInvariant)]
    private static partial Regex AppToken();

    [GeneratedRegex("ghr_[0-9a-zA-Z]{36}", RegexOptions.CultureInvariant)]
    private static partial Regex RefreshToken();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a PAT in a Flux git credential", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: flux-system\n  namespace: flux-system\nstringData:\n  username: git\n  password: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n", true),
        new("a low-entropy test value", "token: ghp_000000000000000000000000000000000000\n", false, "test.yaml"),
    ];
}

/// <summary>GitLab tokens.</summary>
public sealed partial class GitLabTokenRule : CredentialRule
{
    public override string Id => "KW208";
    public override string Name => "gitlab-token";
    public override string Title => "GitLab token committed";
    public override Severity Severity => Severity.High;
    public override string Why => "A GitLab token gives API, registry or runner access to the projects of its owner.";
    public override string Fix => "Revoke the token in GitLab, remove it from the repository and its history, and load it from a SOPS-encrypted Secret or the CI's masked variables.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("gitlab-pat", "GitLab personal access token", PersonalAccessToken(), "glpat-") { MinEntropy = 3 },
        new("gitlab-pat-routable", "GitLab routable personal access token", RoutableToken(), "glpat-") { MinEntropy = 4 },
        new("gitlab-ptt", "GitLab pipeline trigger token", PipelineTriggerToken(), "glptt-") { MinEntropy = 3 },
        new("gitlab-rrt", "GitLab runner registration token", RunnerRegistrationToken(), "gr1348941") { MinEntropy = 3 },
        new("gitlab-runner-authentication-token", "GitLab runner token", RunnerToken(), "glrt-") { MinEntropy = 3 },
        new("gitlab-deploy-token", "GitLab deploy token", DeployToken(), "gldt-") { MinEntropy = 3 },
        new("gitlab-cicd-job-token", "GitLab CI/CD job token", JobToken(), "glcbt-") { MinEntropy = 3 },
    ];

    [GeneratedRegex(@"glpat-[\w-]{20}", RegexOptions.CultureInvariant)]
    private static partial Regex PersonalAccessToken();

    [GeneratedRegex(@"\bglpat-[0-9a-zA-Z_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}\b", RegexOptions.CultureInvariant)]
    private static partial Regex RoutableToken();

    [GeneratedRegex("glptt-[0-9a-f]{40}", RegexOptions.CultureInvariant)]
    private static partial Regex PipelineTriggerToken();

    [GeneratedRegex(@"GR1348941[\w-]{20}", RegexOptions.CultureInvariant)]
    private static partial Regex RunnerRegistrationToken();

    [GeneratedRegex(@"glrt-[0-9a-zA-Z_\-]{20}", RegexOptions.CultureInvariant)]
    private static partial Regex RunnerToken();

    [GeneratedRegex(@"gldt-[0-9a-zA-Z_\-]{20}", RegexOptions.CultureInvariant)]
    private static partial Regex DeployToken();

    [GeneratedRegex("glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}", RegexOptions.CultureInvariant)]
    private static partial Regex JobToken();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a PAT in a script", "curl --header \"PRIVATE-TOKEN: glpat-KLzdocJ2isAjIhKtJ0Rl\" https://gitlab.example.com/api/v4/projects\n", true, "sync.sh"),
        new("a documentation placeholder", "PRIVATE-TOKEN: glpat-xxxxxxxxxxxxxxxxxxxx\n", false, "README.md"),
    ];
}

/// <summary>Slack tokens and webhooks.</summary>
public sealed partial class SlackTokenRule : CredentialRule
{
    public override string Id => "KW209";
    public override string Name => "slack-token";
    public override string Title => "Slack token or webhook committed";
    public override Severity Severity => Severity.Medium;
    public override string Why => "A Slack token reads and posts in the workspace as the bot or user; a webhook URL lets anyone post into the channel (alert spoofing, phishing).";
    public override string Fix => "Revoke the token or webhook in the Slack app settings and give it to the alerting stack through a SOPS-encrypted Secret.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        new("slack-bot-token", "Slack bot token", BotToken(), "xoxb") { MinEntropy = 3 },
        new("slack-user-token", "Slack user token", UserToken(), "xoxp-", "xoxe-") { MinEntropy = 2 },
        new("slack-app-token", "Slack app token", AppToken(), "xapp") { MinEntropy = 2 },
        new("slack-config-access-token", "Slack configuration token", ConfigurationToken(), "xoxe.xoxb-", "xoxe.xoxp-") { MinEntropy = 2 },
        new("slack-legacy-token", "Slack legacy token", LegacyToken(), "xoxo", "xoxs") { MinEntropy = 2 },
        new("slack-webhook-url", "Slack webhook URL", WebhookUrl(), "hooks.slack.com"),
    ];

    [GeneratedRegex("xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*", RegexOptions.CultureInvariant)]
    private static partial Regex BotToken();

    [GeneratedRegex("xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}", RegexOptions.CultureInvariant)]
    private static partial Regex UserToken();

    [GeneratedRegex(@"(?i)xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex AppToken();

    [GeneratedRegex(@"(?i)xoxe.xox[bp]-\d-[A-Z0-9]{163,166}", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigurationToken();

    [GeneratedRegex(@"xox[os]-\d+-\d+-\d+-[a-fA-F\d]+", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyToken();

    [GeneratedRegex("(?:https?://)?hooks.slack.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}", RegexOptions.CultureInvariant)]
    private static partial Regex WebhookUrl();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a bot token in Alertmanager values", "alertmanager:\n  slack:\n    token: xoxb-199351819093-786579754323-fKtHF4vUCsMehGAkWvj7FAc9\n", true, "values.yaml"),
        new("an elided token", "token: xoxb-...\n", false, "README.md"),
    ];
}

/// <summary>JSON Web Tokens.</summary>
public sealed partial class JwtRule : CredentialRule
{
    public override string Id => "KW210";
    public override string Name => "jwt";
    public override string Title => "JSON Web Token committed";
    public override Severity Severity => Severity.Medium;
    public override string Why => "A signed JWT is a bearer credential: whoever has it is the subject until it expires, and service-account tokens often never expire.";
    public override string Fix => "Revoke the token (rotate the signing key or delete the service-account token Secret) and mount short-lived projected tokens instead.";

    public override IReadOnlyList<CredentialPattern> Patterns => Shared;

    private static readonly CredentialPattern[] Shared =
    [
        // Keyword ".ey" where gitleaks has "ey": every match holds ".ey" (where the payload starts), and "ey" alone
        // sends every line with "key" to the regex.
        new("jwt", "JSON Web Token", Token(), ".ey") { MinEntropy = 3 },
    ];

    [GeneratedRegex(@"\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9\/\\_-]{17,}\.(?:[a-zA-Z0-9\/\\_-]{10,}={0,2})?)(?:[\x60'""\s;]|\\[nr]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a bearer token in a script", "curl -H \"Authorization: Bearer eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAidGVsZW1ldHJ5IiwgImlhdCI6IDE3MDAwMDAwMDB9.dt7s8Stqcbnr3yBdGBLEPH1qhT61qtc4xatws8phP9n\" https://api.example.com\n", true, "probe.sh"),
        new("a word starting with ey", "eyebrows.eyelashes.eyes\n", false, "notes.txt"),
    ];
}
