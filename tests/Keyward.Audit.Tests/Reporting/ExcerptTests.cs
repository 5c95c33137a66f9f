using System.Text;
using Keyward.Audit.Reports;

namespace Keyward.Audit.Tests.Reporting;

/// <summary>Excerpts never show a secret that a finding reported, whichever finding's excerpt it is and however it is written.</summary>
public class ExcerptTests
{
    private static readonly string[] Formats = ["text", "json", "sarif", "html"];

    private static string Render(AuditResult result, string format)
    {
        var options = new ReportOptions();
        using var buffer = new MemoryStream();
        switch (format)
        {
            case "json":
                JsonReport.Write(buffer, result, options);
                return Encoding.UTF8.GetString(buffer.ToArray());
            case "sarif":
                SarifReport.Write(buffer, result, options);
                return Encoding.UTF8.GetString(buffer.ToArray());
        }
        using var writer = new StringWriter();
        if (format == "text")
            TextReport.Write(writer, result, options);
        else
            HtmlReport.Write(writer, result, options);
        return writer.ToString();
    }

    private static void NotInAnyFormat(AuditResult result, params string[] secrets)
    {
        Assert.NotEmpty(result.Findings);
        foreach (var format in Formats)
        {
            var report = Render(result, format);
            foreach (var secret in secrets)
                Assert.False(report.Contains(secret, StringComparison.Ordinal), $"{format} shows {secret}");
        }
    }

    [Fact]
    public void A_line_with_two_secrets_masks_both_in_every_finding_on_it()
    {
        const string Pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: app, namespace: shop}
            spec:
              containers:
                - {name: app, image: "shop:1.0", env: [{name: API_TOKEN, value: Vb3KNq8Lz5Wr2Xt7Mk4Hj}, {name: DB_PASSWORD, value: Tq9Lm2Wx8Zr4Kp7Nd3Hs}]}
            """;
        var result = AuditHarness.Run("pod.yaml", Pod);
        Assert.Contains(result.Findings, f => f.RuleId == "KW401");
        NotInAnyFormat(result, "Vb3KNq8Lz5Wr2Xt7Mk4Hj", "Tq9Lm2Wx8Zr4Kp7Nd3Hs");
    }

    [Fact]
    public void A_minified_json_manifest_masks_every_secret_in_every_excerpt()
    {
        const string Pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"app","namespace":"shop"},"spec":{"containers":[{"name":"app","image":"shop:1.0","env":[{"name":"API_TOKEN","value":"Vb3KNq8Lz5Wr2Xt7Mk4Hj"},{"name":"DB_PASSWORD","value":"Tq9Lm2Wx8Zr4Kp7Nd3Hs"}]}]}}""";
        NotInAnyFormat(AuditHarness.Run("pod.json", Pod), "Vb3KNq8Lz5Wr2Xt7Mk4Hj", "Tq9Lm2Wx8Zr4Kp7Nd3Hs");
    }

    [Fact]
    public void A_secret_reported_anywhere_in_the_file_is_masked_in_every_excerpt_of_it()
    {
        // The generic finding on the args line yields to the plaintext Secret's, which is reported on another line.
        const string Manifests = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              namespace: shop
            stringData:
              password: Qm7xKp2LwZ9tRv4NbY8cHs3D
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: app, namespace: shop}
            spec:
              containers:
                - {name: app, image: "shop:1.0", args: ["--db-password=Qm7xKp2LwZ9tRv4NbY8cHs3D"]}
            """;
        var result = AuditHarness.Run("app.yaml", Manifests);
        Assert.Contains(result.Findings, f => f.RuleId == "KW401");
        NotInAnyFormat(result, "Qm7xKp2LwZ9tRv4NbY8cHs3D");
    }

    [Fact]
    public void A_credential_longer_than_the_window_shows_masked_not_dropped()
    {
        var token = "eyJhbGciOiJIUzI1NiJ9." + string.Concat(Enumerable.Repeat("eyJzdWIiOiJrZXl3YXJkIn0", 14)) + ".c2lnbmF0dXJl";
        var line = "  token: " + token;
        var finding = Finding(line, 10, [token]);
        var excerpt = new Excerpts(new AuditResult([finding], new AuditStats(), []), new ReportOptions()).For(finding)!;
        Assert.Contains("eyJh****(", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain(token[8..40], excerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password: 'Xk9p''Q2vLm7RtZ4wYb8'", "Q2vLm7RtZ4wYb8")]
    [InlineData("api_token: \"Zr7\\\"Lq2Wm9XvKt4Pn8Hd\"", "Lq2Wm9XvKt4Pn8Hd")]
    [InlineData("db_password: \"Qm4\\u0041tR8vLx2Wn7Ks9Pz\"", "tR8vLx2Wn7Ks9Pz")]
    [InlineData("db_password: \"Vb3\\/Nq8Lz5Wr2Xt7Mk4Hj\"", "Nq8Lz5Wr2Xt7Mk4Hj")]
    [InlineData("db_password: \"Tq9\\\\Lm2Wx8Zr4Kp7Nd3Hs\"", "Lm2Wx8Zr4Kp7Nd3Hs")]
    public void A_secret_written_with_escapes_is_masked_as_it_is_written(string line, string visiblePart)
    {
        var configMap = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shop\ndata:\n  {line}\n";
        var result = AuditHarness.Run("cm.yaml", configMap);
        Assert.Contains(result.Findings, f => f.RuleId == "KW103");
        NotInAnyFormat(result, visiblePart);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(2000)] // too many secrets on too long a line to search for each: every value-like token is masked
    public void A_long_line_is_cut_around_the_finding_and_never_shows_a_secret_of_it(int count)
    {
        var values = Enumerable.Range(0, count).Select(i => Convert.ToBase64String(Encoding.ASCII.GetBytes($"Zq8vN2kP4xR7tY1wE5uI{i:D4}"))).ToArray();
        var items = string.Join(",", values.Select((v, i) =>
            $$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s{{{i}}}","namespace":"shop"},"data":{"token":"{{{v}}}"}}"""));
        var result = AuditHarness.Run("backup.json", $$"""{"apiVersion":"v1","kind":"List","items":[{{items}}]}""");
        Assert.True(result.Findings.Count >= count, $"{result.Findings.Count} findings");
        var json = Render(result, "json");
        Assert.True(json.Length < result.Findings.Count * 2000, $"{json.Length} bytes for {result.Findings.Count} findings");
        foreach (var format in Formats)
        {
            var report = Render(result, format);
            Assert.DoesNotContain(values, v => report.Contains(v, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Any_window_of_any_long_line_shows_no_reported_secret_and_cuts_no_token()
    {
        // Secrets inside longer tokens, quoted, escaped and side by side, with findings at every column: what the
        // windows of real one-line bundles look like, in every combination a seeded generator makes.
        var random = new Random(20261123);
        string[] separators = [" ", ",", ":", "=", "\"", "'", "{", "}", "[", "]", "", "", ""];
        for (int round = 0; round < 200; round++)
        {
            var secrets = new List<string>();
            var line = new StringBuilder();
            while (line.Length < 600)
            {
                if (random.Next(4) == 0)
                {
                    var secret = "S" + random.Next(100_000, 999_999) + "/x" + random.Next(1000, 9999);
                    secrets.Add(secret);
                    line.Append(random.Next(3) == 0 ? "\"" + secret.Replace("/", "\\/", StringComparison.Ordinal) + "\"" : secret);
                }
                else
                {
                    line.Append(new string((char)('a' + random.Next(26)), random.Next(1, 12)));
                }
                line.Append(separators[random.Next(separators.Length)]);
            }
            var text = line.ToString();
            var findings = Enumerable.Range(0, 20).Select(i => Finding(text, 1 + random.Next(text.Length), secrets)).ToList();
            var excerpts = new Excerpts(new AuditResult(findings, new AuditStats(), []), new ReportOptions());
            foreach (var finding in findings)
            {
                var excerpt = excerpts.For(finding)!;
                var shown = secrets.FirstOrDefault(secret => excerpt.Contains(secret[4..], StringComparison.Ordinal) || excerpt.Contains(secret[^6..], StringComparison.Ordinal));
                Assert.True(shown is null, $"{shown} in {excerpt}");
                Assert.True(excerpt.Length <= Excerpts.MaxLength + 200, $"{excerpt.Length} characters");
            }
        }
    }

    [Fact]
    public void A_secret_of_a_finding_with_no_line_of_its_own_is_masked_on_the_lines_that_hold_it()
    {
        const string Secret = "Zq8vN2kP4xR7tY1wE5uI";
        var lineless = Finding("unused", 1, [Secret]) with { SourceLine = null, Position = new Keyward.Manifests.SourcePosition(3, 1) };
        var other = Finding($"  args: [\"--token={Secret}\"]", 3, []);
        var excerpt = new Excerpts(new AuditResult([lineless, other], new AuditStats(), []), new ReportOptions()).For(other)!;
        Assert.DoesNotContain(Secret, excerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("          value: \"ghp_9z8Y7x6W5v4U3t2S1r0Q\\\n            9p8O7n6M5l4K3j2I\"\n", "ghp_9z8Y7x6W5v4U3t2S1r0Q", "9p8O7n6M5l4K3j2I")]
    [InlineData("          value: \"ghp_9z8Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K3\\\n            j2I\"\n", "ghp_9z8Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K3", null)]
    [InlineData("          value: \"ghp_9z8\\\n            Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K3j2I\"\n", "Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K3j2I", "\"ghp_9z8")]
    public void A_secret_broken_over_lines_shows_none_of_its_pieces(string value, string piece, string? other)
    {
        var pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: shop}\nspec:\n  containers:\n    - name: app\n      image: shop:1.0\n      env:\n        - name: API_TOKEN\n" + value;
        var result = AuditHarness.Run("pod.yaml", pod);
        Assert.Contains(result.Findings, f => f.RuleId == "KW207");
        NotInAnyFormat(result, other is null ? [piece] : [piece, other]);
    }

    private static Finding Finding(string line, int column, IReadOnlyList<string> secrets) => new()
    {
        RuleId = "KW211",
        RuleName = "generic-api-key",
        Category = Category.Credentials,
        Severity = Severity.High,
        File = "bundle.json",
        Position = new Keyward.Manifests.SourcePosition(1, column),
        Message = "API key hard-coded",
        Remediation = "rotate it",
        Fingerprint = "0",
        SourceLine = line,
        Secrets = secrets,
    };
}
