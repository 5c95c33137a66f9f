using Keyward.Manifests;

namespace Keyward.Audit.Tests.Rules;

/// <summary>
/// A credential inside a multi-line value (a block scalar, or a quoted or plain scalar folded over lines) is reported
/// once, at the line and column where it is written: not at the line where the value starts, where the engine cannot
/// tell it from the same credential found by the text scan.
/// </summary>
public class ValueLinePositionTests
{
    // Not a real key: the AWS key ID pattern, with a body chosen to clear its entropy check.
    private const string AwsKeyId = "AKIAZ3MSJV4WWNKWW5FG";

    private static string PodWithEnv(string name, string value) =>
        $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: prod\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    env:\n    - name: {name}\n      value: {value}";

    private static List<Finding> Findings(string ruleId, string file, string text) =>
        [.. AuditHarness.RunRule(RuleRegistry.BuiltIn.Find(ruleId)!, file, text).Findings.Where(f => f.RuleId == ruleId)];

    [Theory]
    [InlineData("literal", "|\n        region = eu-west-1\n        aws_key = KEY\n", 14, 19)]
    [InlineData("literal, kept", "|+\n        region = eu-west-1\n\n        aws_key = KEY\n\n", 15, 19)]
    [InlineData("folded", ">\n        region = eu-west-1\n        aws_key = KEY\n", 14, 19)]
    [InlineData("folded, an empty line kept", ">\n        region = eu-west-1\n\n        aws_key = KEY\n", 15, 19)]
    [InlineData("double-quoted", "\"region = eu-west-1\n        aws_key = KEY\"\n", 13, 19)]
    [InlineData("single-quoted", "'region = eu-west-1\n        aws_key = KEY'\n", 13, 19)]
    [InlineData("plain", "region = eu-west-1\n        aws_key = KEY\n", 13, 19)]
    [InlineData("one line", "\"aws_key = KEY\"\n", 12, 25)]
    public void A_credential_in_a_multi_line_env_value_is_one_finding_at_its_line(string style, string value, int line, int column)
    {
        var findings = Findings("KW204", "pod.yaml", PodWithEnv("CONFIG", value.Replace("KEY", AwsKeyId, StringComparison.Ordinal)));
        var finding = Assert.Single(findings);
        Assert.True(new SourcePosition(line, column) == finding.Position, $"{style}: expected {line}:{column}, found {finding.Position}");
    }

    [Fact]
    public void The_same_key_twice_in_a_value_is_found_at_each_of_its_lines()
    {
        var findings = Findings("KW204", "pod.yaml", PodWithEnv("CONFIG", $"|\n        primary = {AwsKeyId}\n        backup = {AwsKeyId}\n"));
        Assert.Equal([new SourcePosition(13, 19), new SourcePosition(14, 18)], findings.Select(f => f.Position));
    }

    [Fact]
    public void A_credential_only_the_env_name_reveals_is_reported_at_the_line_of_the_value()
    {
        // The text scan sees "tk_..." alone on its line, with no keyword: only the env scan ("API_TOKEN: tk_...") finds it.
        var findings = Findings("KW211", "pod.yaml", PodWithEnv("API_TOKEN", "|\n        tk_9f3Kq2LmX8vR7pWz4NcY6bHd\n"));
        var finding = Assert.Single(findings);
        Assert.Equal(new SourcePosition(13, 9), finding.Position);
    }

    [Fact]
    public void A_credential_in_a_file_embedded_in_a_ConfigMap_is_reported_at_its_line()
    {
        const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s3\n  namespace: shop\ndata:\n  app.properties: |\n    s3.endpoint=https://s3.gra.io.cloud.ovh.net\n    s3.secret_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n";
        var finding = Assert.Single(Findings("KW103", "cm.yaml", ConfigMap));
        Assert.Equal(new SourcePosition(9, 5), finding.Position);
        Assert.Equal("data.app.properties", finding.FieldPath);
    }

    [Fact]
    public void A_recognisable_credential_deep_in_a_ConfigMap_value_is_reported_at_its_line()
    {
        var configMap = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tools\n  namespace: shop\ndata:\n  config.ini: |\n    [aws]\n    region = eu-west-1\n    id = {AwsKeyId}\n";
        var finding = Assert.Single(Findings("KW103", "cm.yaml", configMap));
        Assert.Equal(new SourcePosition(10, 10), finding.Position);
    }

    [Theory]
    [InlineData("  # keyward:ignore KW103 test fixture\n  app.properties: |\n")]
    [InlineData("  app.properties: |  # keyward:ignore KW103 test fixture\n")]
    public void An_ignore_comment_on_the_key_of_a_multi_line_value_still_covers_what_is_found_inside_it(string key)
    {
        // Comments users wrote when such findings were reported at the key's line must keep working.
        const string Head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shop\ndata:\n";
        const string Body = "    user=admin\n    password=Xq7hunter2hunter2\n";
        Assert.Single(Findings("KW103", "cm.yaml", Head + "  app.properties: |\n" + Body));
        Assert.Empty(Findings("KW103", "cm.yaml", Head + key + Body));
    }
}
