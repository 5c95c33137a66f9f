using System.Text.Json;
using Keyward.Core;

namespace Keyward.Ovh.Rules;

/// <summary>
/// Reads access rules from the places users have them: a createToken URL (<c>?GET=/a&amp;POST=/b</c>), the
/// <c>accessRules</c> JSON of <c>POST /auth/credential</c>, the <c>rules</c> of <c>GET /auth/currentCredential</c>
/// (or a bare array of <c>{method, path}</c>), or <c>METHOD PATH</c> command-line arguments.
/// </summary>
public static class AccessRuleParser
{
    /// <summary>Parses the query of a createToken URL; each <c>METHOD=path</c> parameter is one rule, in order.</summary>
    public static IReadOnlyList<AccessRule> FromCreateTokenUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new KeywardException($"\"{url}\" is not an http(s) URL", "pass the createToken URL, e.g. https://eu.api.ovh.com/createToken/?GET=/me", FailureKind.Usage);
        if (!uri.AbsolutePath.Contains("createToken", StringComparison.OrdinalIgnoreCase))
            throw new KeywardException($"\"{uri.GetLeftPart(UriPartial.Path)}\" is not a createToken page", "the URL should look like https://eu.api.ovh.com/createToken/?GET=/path", FailureKind.Usage);
        var query = uri.Query.TrimStart('?');
        var rules = new List<AccessRule>();
        int index = 0;
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            index++;
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            rules.Add(AccessRule.Create(key, value, $"URL query parameter {index} (\"{key}\")"));
        }
        if (rules.Count == 0)
            throw new KeywardException("the URL has no access rules in its query", "a pre-filled createToken URL carries ?GET=/path&POST=/path...", FailureKind.Usage);
        return rules;
    }

    /// <summary>
    /// Parses <c>{"accessRules":[...]}</c>, <c>{"rules":[...]}</c> or a bare <c>[{"method":..,"path":..}]</c>.
    /// <paramref name="source"/> names the file in errors.
    /// </summary>
    public static IReadOnlyList<AccessRule> FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new KeywardException($"\"{source}\" line {(e.LineNumber ?? 0) + 1} column {(e.BytePositionInLine ?? 0) + 1}: not valid JSON",
                "expected {\"accessRules\":[{\"method\":\"GET\",\"path\":\"/...\"}]}", FailureKind.Usage, e);
        }
        using (document)
        {
            var root = document.RootElement;
            JsonElement array;
            string arrayPath;
            if (root.ValueKind == JsonValueKind.Array)
            {
                (array, arrayPath) = (root, "$");
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("accessRules", out var accessRules))
            {
                (array, arrayPath) = (accessRules, "$.accessRules");
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("rules", out var rulesProperty))
            {
                (array, arrayPath) = (rulesProperty, "$.rules");
            }
            else
            {
                throw new KeywardException($"\"{source}\": no \"accessRules\" or \"rules\" array",
                    "expected the body of POST /auth/credential, the answer of GET /auth/currentCredential, or an array of {method, path}", FailureKind.Usage);
            }
            if (array.ValueKind != JsonValueKind.Array)
                throw new KeywardException($"\"{source}\" {arrayPath}: expected an array", "access rules are a JSON array of {\"method\": \"GET\", \"path\": \"/...\"} objects", FailureKind.Usage);
            var rules = new List<AccessRule>();
            int i = 0;
            foreach (var item in array.EnumerateArray())
            {
                var where = $"\"{source}\" {arrayPath}[{i}]";
                if (item.ValueKind != JsonValueKind.Object)
                    throw new KeywardException($"{where}: expected an object with \"method\" and \"path\"", "write each rule as {\"method\": \"GET\", \"path\": \"/...\"}", FailureKind.Usage);
                rules.Add(AccessRule.Create(StringProperty(item, "method", where), StringProperty(item, "path", where), where));
                i++;
            }
            if (rules.Count == 0)
                throw new KeywardException($"\"{source}\" {arrayPath}: the array is empty", "list at least one rule, e.g. [{\"method\": \"GET\", \"path\": \"/me\"}]", FailureKind.Usage);
            return rules;
        }
    }

    /// <summary>
    /// Parses <c>METHOD PATH</c> arguments: either one argument holding both (<c>"GET /me"</c>) or two in a row
    /// (<c>GET /me</c>), mixed freely.
    /// </summary>
    public static IReadOnlyList<AccessRule> FromArguments(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var tokens = Tokens(arguments);
        if (tokens.Count % 2 != 0)
            throw new KeywardException($"argument \"{tokens[^1]}\" has no path after it", "rules are METHOD PATH pairs, e.g. GET /cloud/project/abc/kube/def", FailureKind.Usage);
        var rules = new List<AccessRule>();
        for (int i = 0; i < tokens.Count; i += 2)
            rules.Add(AccessRule.Create(tokens[i], tokens[i + 1], $"rule {i / 2 + 1} (\"{tokens[i]} {tokens[i + 1]}\")"));
        return rules;
    }

    /// <summary>Splits arguments on whitespace so that <c>"GET /a"</c> and <c>GET /a</c> read the same.</summary>
    public static List<string> Tokens(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.SelectMany(a => a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }

    private static string StringProperty(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            throw new KeywardException($"{where}: missing string \"{name}\"", "write each rule as {\"method\": \"GET\", \"path\": \"/...\"}", FailureKind.Usage);
        return value.GetString()!;
    }
}
