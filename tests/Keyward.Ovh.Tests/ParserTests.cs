using Keyward.Core;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

public sealed class ParserTests
{
    [Fact]
    public void Credential_request_bodies_parse()
    {
        var rules = AccessRuleParser.FromJson("""
            {"accessRules":[{"method":"GET","path":"/me"},{"method":"GET","path":"/xdsl/*"}],
             "redirection":"https://optional-redirect","allowedIPs":["127.0.0.1/32"]}
            """, "body.json");
        Assert.Equal(["GET /me", "GET /xdsl/*"], rules.Select(r => r.ToString()));
    }

    [Fact]
    public void Current_credential_answers_parse()
    {
        var rules = AccessRuleParser.FromJson("""
            {"credentialId":1,"applicationId":2,"status":"validated","creation":"2026-01-01T00:00:00+01:00","expiration":null,
             "rules":[{"method":"DELETE","path":"/cloud/project/p/kube/k/nodepool/*"}],"allowedIPs":null,"ovhSupport":false}
            """, "current.json");
        Assert.Equal(["DELETE /cloud/project/p/kube/k/nodepool/*"], rules.Select(r => r.ToString()));
    }

    [Fact]
    public void Bare_arrays_parse() =>
        Assert.Single(AccessRuleParser.FromJson("[{\"method\":\"put\",\"path\":\"/x\"}]", "a.json"), r => r.Method == "PUT");

    [Theory]
    [InlineData("{\"accessRules\":[{\"method\":\"GET\"}]}", "$.accessRules[0]: missing string \"path\"")]
    [InlineData("{\"accessRules\":[{\"method\":\"PATCH\",\"path\":\"/x\"}]}", "\"PATCH\" is not a method")]
    [InlineData("{\"accessRules\":[{\"method\":\"GET\",\"path\":\"x\"}]}", "does not start with \"/\"")]
    [InlineData("{\"other\":[]}", "no \"accessRules\" or \"rules\" array")]
    [InlineData("{\"accessRules\":[]}", "the array is empty")]
    [InlineData("{\n  \"accessRules\": [\n    {\"method\": GET}\n  ]\n}", "line 3 column")]
    public void Bad_json_is_reported_with_its_place(string json, string expected)
    {
        var error = Assert.Throws<KeywardException>(() => AccessRuleParser.FromJson(json, "rules.json"));
        Assert.Contains("\"rules.json\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_may_hold_a_rule_each_or_a_word_each()
    {
        var rules = AccessRuleParser.FromArguments(["GET /a", "post", "/b", "DELETE   /c/*"]);
        Assert.Equal(["GET /a", "POST /b", "DELETE /c/*"], rules.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData(new[] { "GET" }, "has no path after it")]
    [InlineData(new[] { "GET /a?x=1" }, "has a query string")]
    [InlineData(new[] { "ANY /a" }, "not a method")]
    public void Bad_arguments_are_refused(string[] arguments, string expected)
    {
        var error = Assert.Throws<KeywardException>(() => AccessRuleParser.FromArguments(arguments));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Theory]
    [InlineData("https://eu.api.ovh.com/createToken/index.cgi?GET=/me", "GET /me")]
    [InlineData("https://eu.api.ovh.com/createToken/?GET=%2Fdomain%2Fzone%2F*&POST=/domain/zone/*", "GET /domain/zone/*|POST /domain/zone/*")]
    public void Create_token_urls_parse(string url, string expected) =>
        Assert.Equal(expected.Split('|'), AccessRuleParser.FromCreateTokenUrl(url).Select(r => r.ToString()));

    [Theory]
    [InlineData("https://eu.api.ovh.com/createToken/", "no access rules")]
    [InlineData("https://eu.api.ovh.com/createToken/?name=x", "\"NAME\" is not a method")]
    [InlineData("https://eu.api.ovh.com/1.0/me?GET=/me", "not a createToken page")]
    [InlineData("eu.api.ovh.com/createToken/?GET=/me", "not an http(s) URL")]
    public void Bad_urls_are_refused(string url, string expected)
    {
        var error = Assert.Throws<KeywardException>(() => AccessRuleParser.FromCreateTokenUrl(url));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_fingerprint_ignores_order_and_duplicates_but_not_content()
    {
        var a = AccessRuleParser.FromArguments(["GET /a", "POST /b"]);
        var b = AccessRuleParser.FromArguments(["POST /b", "GET /a", "GET /a"]);
        var c = AccessRuleParser.FromArguments(["GET /a", "POST /b/*"]);
        Assert.Equal(RuleFingerprint.Compute(a), RuleFingerprint.Compute(b));
        Assert.NotEqual(RuleFingerprint.Compute(a), RuleFingerprint.Compute(c));
        Assert.Matches("^sha256:[0-9a-f]{64}$", RuleFingerprint.Compute(a));
    }
}
