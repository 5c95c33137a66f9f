using System.Text.Json;
using Keyward.Core;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Api;

/// <summary>The answer of <c>POST /auth/credential</c>: a consumer key pending the user's validation.</summary>
public sealed class PendingCredential(string consumerKey, string state, Uri validationUrl)
{
    /// <summary>The new consumer key; a secret once validated, never print it.</summary>
    public string ConsumerKey { get; } = consumerKey;

    public string State { get; } = state;

    /// <summary>The page the user opens to log in and validate the key.</summary>
    public Uri ValidationUrl { get; } = validationUrl;

    public override string ToString() => $"consumer key {SecretMask.Mask(ConsumerKey)} ({State}), validate at {ValidationUrl}";
}

/// <summary>The answer of <c>GET /auth/currentCredential</c> (<c>api.Credential</c>).</summary>
public sealed record CurrentCredential(
    long CredentialId,
    long ApplicationId,
    string Status,
    DateTimeOffset? Creation,
    DateTimeOffset? Expiration,
    DateTimeOffset? LastUse,
    IReadOnlyList<AccessRule> Rules,
    IReadOnlyList<string>? AllowedIps)
{
    public const string Validated = "validated";
    public const string PendingValidation = "pendingValidation";

    public static CurrentCredential Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new KeywardException($"{source}: expected a JSON object", "check --endpoint and any proxy between you and the API; run again with --debug for details", FailureKind.Failed);
            return new CurrentCredential(
                Long(root, "credentialId"),
                Long(root, "applicationId"),
                root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString()! : "unknown",
                Date(root, "creation"),
                Date(root, "expiration"),
                Date(root, "lastUse"),
                root.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array && rules.GetArrayLength() > 0 ? AccessRuleParser.FromJson(rules.GetRawText(), source) : [],
                root.TryGetProperty("allowedIPs", out var ips) && ips.ValueKind == JsonValueKind.Array
                    ? ips.EnumerateArray().Select(i => i.GetString() ?? "").ToList() : null);
        }
        catch (JsonException e)
        {
            throw new KeywardException($"{source}: the answer is not valid JSON", "check --endpoint and any proxy between you and the API; run again with --debug for details", FailureKind.Failed, e);
        }
    }

    private static long Long(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;

    private static DateTimeOffset? Date(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date) ? date : null;
}
