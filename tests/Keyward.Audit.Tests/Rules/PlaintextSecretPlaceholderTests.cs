using System.Text;

namespace Keyward.Audit.Tests.Rules;

/// <summary>
/// KW101 judges a value under <c>data</c> by what it decodes to, as it judges one under <c>stringData</c>: a template
/// made with <c>kubectl create secret ... --dry-run=client -o yaml</c> holds its placeholders base64-encoded.
/// </summary>
public sealed class PlaintextSecretPlaceholderTests
{
    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static string Secret(string field, params (string Key, string Value)[] entries) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n{field}:\n"
        + string.Concat(entries.Select(e => $"  {e.Key}: {e.Value}\n"));

    private static List<Finding> Kw101(string yaml)
    {
        var rule = RuleRegistry.BuiltIn.Find("KW101")!;
        return [.. AuditHarness.RunRule(rule, "secret.yaml", yaml).Findings.Where(f => f.RuleId == "KW101")];
    }

    [Fact]
    public void A_kubectl_made_template_of_base64_placeholders_passes()
    {
        var yaml = Secret("data",
            ("applicationKey", Base64("YOUR_APPLICATION_KEY")),
            ("applicationSecret", Base64("YOUR_APPLICATION_SECRET")),
            ("consumerKey", Base64("YOUR_CONSUMER_KEY")));
        Assert.Empty(Kw101(yaml));
    }

    [Theory]
    [InlineData("your-secure-api-key")] // echo -n "your-secure-api-key" | base64
    [InlineData("your-secure-api-key\n")] // the same without -n
    [InlineData("<api-key>")]
    [InlineData("REPLACE_ME")]
    [InlineData("xxxxxxxx")]
    [InlineData("{{ .Values.token }}")]
    public void An_encoded_placeholder_passes(string placeholder) =>
        Assert.Empty(Kw101(Secret("data", ("token", Base64(placeholder)))));

    [Fact]
    public void A_real_value_among_encoded_placeholders_fails_and_only_it_is_named()
    {
        var real = Base64("Zq8vN2kP4xR7tY1wE5uI");
        var yaml = Secret("data",
            ("applicationKey", Base64("YOUR_APPLICATION_KEY")),
            ("applicationSecret", real),
            ("consumerKey", Base64("YOUR_CONSUMER_KEY")));
        var finding = Assert.Single(Kw101(yaml));
        Assert.Equal("Secret ovh-credentials has 1 unencrypted value in data (applicationSecret)", finding.Message);
        // The value the report masks is the one in the file, as written.
        Assert.Equal(new[] { real }, finding.Secrets);
    }

    [Fact]
    public void A_value_that_is_not_base64_is_judged_as_written()
    {
        Assert.Single(Kw101(Secret("data", ("token", "Zq8vN2kP4xR7tY1wE5uI!"))));
        Assert.Empty(Kw101(Secret("data", ("token", "<base64-encoded>"))));
    }

    /// <summary>One placeholder test for both fields: a value is a placeholder under data exactly when it is under stringData.</summary>
    [Theory]
    [InlineData("YOUR_APPLICATION_KEY")]
    [InlineData("your-token-here")]
    [InlineData("${APP_KEY}")]
    [InlineData("<proxmox token>")]
    [InlineData("TODO")]
    [InlineData("changeme")] // what the cluster would get: a weak value, not a template
    [InlineData("password")]
    [InlineData("Zq8vN2kP4xR7tY1wE5uI")]
    public void Data_and_stringData_agree(string value)
    {
        var plain = Kw101(Secret("stringData", ("token", value)));
        var encoded = Kw101(Secret("data", ("token", Base64(value))));
        Assert.Equal(plain.Count, encoded.Count);
    }

    [Theory]
    [InlineData("YOUR_APPLICATION_KEY")]
    [InlineData("your-secure-api-key")]
    [InlineData("${DB_PASSWORD}")]
    [InlineData("{{ .Values.password }}")]
    public void No_rule_reports_an_encoded_placeholder(string placeholder)
    {
        // The generic rule saw the base64 text as a key once KW101 no longer reported the value: every rule must judge
        // a data value by what it decodes to.
        var yaml = Secret("data", ("applicationKey", Base64(placeholder)), ("token", Base64(placeholder)));
        Assert.DoesNotContain(AuditHarness.Run("secret.yaml", yaml).Findings, f => f.Category is Category.Secrets or Category.Credentials or Category.CloudCredentials);
    }

    [Fact]
    public void A_real_value_among_encoded_placeholders_is_still_reported()
    {
        var yaml = Secret("data", ("applicationKey", Base64("YOUR_APPLICATION_KEY")), ("token", Base64("Zq8vN2kP4xR7tY1wE5uI")));
        var findings = AuditHarness.Run("secret.yaml", yaml).Findings;
        Assert.Contains(findings, f => f.RuleId == "KW101");
        Assert.DoesNotContain(findings, f => f.Secrets.Contains(Base64("YOUR_APPLICATION_KEY")));
    }
}
