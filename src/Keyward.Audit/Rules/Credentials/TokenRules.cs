using Keyward.Audit.Credentials;
using static Keyward.Audit.Credentials.CredentialPattern;

namespace Keyward.Audit.Rules.Credentials;

/// <summary>GitHub tokens (classic and fine-grained PATs, OAuth, app and refresh tokens).</summary>
public sealed class GitHubTokenRule : CredentialRule
{
    public override string Id => "KW207";
    public override string Name => "github-token";
    public override string Title => "GitHub token committed";
    public override Severity Severity => Severity.High;
    public override string Why => "A GitHub token gives its scopes on the owner's repositories: in a GitOps repository that is usually write access to the repository that deploys the cluster.";
    public override string Fix => "Revoke the token on GitHub, remove it from the repository and its history, and give Flux or CI a deploy key or a token from a SOPS-encrypted Secret.";

    public override IReadOnlyList<CredentialPattern> Patterns { get; } =
    [
        new("github-pat", "GitHub personal access token", "ghp_[0-9a-zA-Z]{36}", "ghp_") { MinEntropy = 3 },
        new("github-fine-grained-pat", "GitHub fine-grained access token", @"github_pat_\w{82}", "github_pat_") { MinEntropy = 3 },
        new("github-oauth", "GitHub OAuth token", "gho_[0-9a-zA-Z]{36}", "gho_") { MinEntropy = 3 },
        new("github-app-token", "GitHub app token", "(?:ghu|ghs)_[0-9a-zA-Z]{36}", "ghu_", "ghs_") { MinEntropy = 3 },
        new("github-refresh-token", "GitHub refresh token", "ghr_[0-9a-zA-Z]{36}", "ghr_") { MinEntropy = 3 },
    ];

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a PAT in a Flux git credential", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: flux-system\n  namespace: flux-system\nstringData:\n  username: git\n  password: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n", true),
        new("a low-entropy test value", "token: ghp_000000000000000000000000000000000000\n", false, "test.yaml"),
    ];
}

/// <summary>GitLab tokens.</summary>
public sealed class GitLabTokenRule : CredentialRule
{
    public override string Id => "KW208";
    public override string Name => "gitlab-token";
    public override string Title => "GitLab token committed";
    public override Severity Severity => Severity.High;
    public override string Why => "A GitLab token gives API, registry or runner access to the projects of its owner.";
    public override string Fix => "Revoke the token in GitLab, remove it from the repository and its history, and load it from a SOPS-encrypted Secret or the CI's masked variables.";

    public override IReadOnlyList<CredentialPattern> Patterns { get; } =
    [
        new("gitlab-pat", "GitLab personal access token", @"glpat-[\w-]{20}", "glpat-") { MinEntropy = 3 },
        new("gitlab-pat-routable", "GitLab routable personal access token", @"\bglpat-[0-9a-zA-Z_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}\b", "glpat-") { MinEntropy = 4 },
        new("gitlab-ptt", "GitLab pipeline trigger token", "glptt-[0-9a-f]{40}", "glptt-") { MinEntropy = 3 },
        new("gitlab-rrt", "GitLab runner registration token", @"GR1348941[\w-]{20}", "gr1348941") { MinEntropy = 3 },
        new("gitlab-runner-authentication-token", "GitLab runner token", @"glrt-[0-9a-zA-Z_\-]{20}", "glrt-") { MinEntropy = 3 },
        new("gitlab-deploy-token", "GitLab deploy token", @"gldt-[0-9a-zA-Z_\-]{20}", "gldt-") { MinEntropy = 3 },
        new("gitlab-cicd-job-token", "GitLab CI/CD job token", "glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}", "glcbt-") { MinEntropy = 3 },
    ];

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a PAT in a script", "curl --header \"PRIVATE-TOKEN: glpat-KLzdocJ2isAjIhKtJ0Rl\" https://gitlab.example.com/api/v4/projects\n", true, "sync.sh"),
        new("a documentation placeholder", "PRIVATE-TOKEN: glpat-xxxxxxxxxxxxxxxxxxxx\n", false, "README.md"),
    ];
}

/// <summary>Slack tokens and webhooks.</summary>
public sealed class SlackTokenRule : CredentialRule
{
    public override string Id => "KW209";
    public override string Name => "slack-token";
    public override string Title => "Slack token or webhook committed";
    public override Severity Severity => Severity.Medium;
    public override string Why => "A Slack token reads and posts in the workspace as the bot or user; a webhook URL lets anyone post into the channel (alert spoofing, phishing).";
    public override string Fix => "Revoke the token or webhook in the Slack app settings and give it to the alerting stack through a SOPS-encrypted Secret.";

    public override IReadOnlyList<CredentialPattern> Patterns { get; } =
    [
        new("slack-bot-token", "Slack bot token", "xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*", "xoxb") { MinEntropy = 3 },
        new("slack-user-token", "Slack user token", "xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}", "xoxp-", "xoxe-") { MinEntropy = 2 },
        new("slack-app-token", "Slack app token", @"(?i)xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+", "xapp") { MinEntropy = 2 },
        new("slack-config-access-token", "Slack configuration token", @"(?i)xoxe.xox[bp]-\d-[A-Z0-9]{163,166}", "xoxe.xoxb-", "xoxe.xoxp-") { MinEntropy = 2 },
        new("slack-legacy-token", "Slack legacy token", @"xox[os]-\d+-\d+-\d+-[a-fA-F\d]+", "xoxo", "xoxs") { MinEntropy = 2 },
        new("slack-webhook-url", "Slack webhook URL", "(?:https?://)?hooks.slack.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}", "hooks.slack.com"),
    ];

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a bot token in Alertmanager values", "alertmanager:\n  slack:\n    token: xoxb-199351819093-786579754323-fKtHF4vUCsMehGAkWvj7FAc9\n", true, "values.yaml"),
        new("an elided token", "token: xoxb-...\n", false, "README.md"),
    ];
}

/// <summary>JSON Web Tokens.</summary>
public sealed class JwtRule : CredentialRule
{
    public override string Id => "KW210";
    public override string Name => "jwt";
    public override string Title => "JSON Web Token committed";
    public override Severity Severity => Severity.Medium;
    public override string Why => "A signed JWT is a bearer credential: whoever has it is the subject until it expires, and service-account tokens often never expire.";
    public override string Fix => "Revoke the token (rotate the signing key or delete the service-account token Secret) and mount short-lived projected tokens instead.";

    public override IReadOnlyList<CredentialPattern> Patterns { get; } =
    [
        new("jwt", "JSON Web Token", @"\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9\/\\_-]{17,}\.(?:[a-zA-Z0-9\/\\_-]{10,}={0,2})?)(?:[\x60'""\s;]|\\[nr]|$)", "ey") { MinEntropy = 3 },
    ];

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a bearer token in a script", "curl -H \"Authorization: Bearer eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAidGVsZW1ldHJ5IiwgImlhdCI6IDE3MDAwMDAwMDB9.dt7s8Stqcbnr3yBdGBLEPH1qhT61qtc4xatws8phP9n\" https://api.example.com\n", true, "probe.sh"),
        new("a word starting with ey", "eyebrows.eyelashes.eyes\n", false, "notes.txt"),
    ];
}
