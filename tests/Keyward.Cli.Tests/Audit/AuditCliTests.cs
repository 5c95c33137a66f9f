using System.Text;
using System.Text.Json;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Audit;

public class AuditCliTests
{
    private const string Privileged = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  automountServiceAccountToken: false\n  serviceAccountName: app\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: app\n      image: shop:1.0@sha256:4f6c0a9d2b1e8f7a6c5d4e3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39\n      securityContext:\n        privileged: true\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n        capabilities:\n          drop: [ALL]\n      resources:\n        requests: {cpu: 10m, memory: 10Mi}\n        limits: {memory: 20Mi}\n";
    private const string Token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";

    private static CliRunner.Result Audit(params string[] args) => CliRunner.Run(["audit", .. args]);

    [Fact]
    public void Findings_at_or_above_the_threshold_exit_1_and_below_exit_0()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pod.yaml"), Privileged);
        var onlyPrivileged = new[] { "--rule", "KW404" };
        Assert.Equal(1, Audit([dir.File("pod.yaml"), .. onlyPrivileged]).ExitCode);
        var medium = Audit([dir.File("pod.yaml"), "--rule", "KW801"]);
        Assert.Equal(0, medium.ExitCode);
        Assert.Contains("KW801", medium.StdoutText, StringComparison.Ordinal);
        Assert.Equal(0, Audit([dir.File("pod.yaml"), "--fail-on", "none", .. onlyPrivileged]).ExitCode);
        Assert.Equal(1, Audit([dir.File("pod.yaml"), "--fail-on", "medium", "--rule", "KW801"]).ExitCode);
    }

    [Fact]
    public void Usage_errors_exit_2_with_a_hint()
    {
        var missing = Audit("/nonexistent/keyward/path");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("keyward: error:", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint:", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Audit("--explain", "KW999").ExitCode);
        Assert.Equal(2, Audit(".", "--fail-on", "severe").ExitCode);
        Assert.Equal(2, Audit(".", "--format", "xml").ExitCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public void A_max_file_size_that_is_not_a_positive_number_of_megabytes_is_a_usage_error(string size)
    {
        using var dir = new TempDir();
        var result = Audit(dir.Path, "--max-file-size", size);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"keyward: error: --max-file-size takes a whole number of megabytes from 1 to 1048576, not \"{size}\"", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_and_explain_print_the_rule_metadata()
    {
        var list = Audit("--rules");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("KW303", list.StdoutText, StringComparison.Ordinal);
        var explain = Audit("--explain", "secrets-read-access");
        Assert.Contains("resourceNames", explain.StdoutText, StringComparison.Ordinal);
        Assert.Contains("fix:", explain.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_is_read_as_rendered_manifests()
    {
        var result = CliRunner.Run(["audit", "-", "--rule", "KW404", "--format", "json"], Encoding.UTF8.GetBytes(Privileged));
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = json.RootElement.GetProperty("findings")[0];
        Assert.Equal("<stdin>", finding.GetProperty("file").GetString());
        Assert.Equal(17, finding.GetProperty("line").GetInt32());
    }

    [Fact]
    public void Secrets_are_masked_unless_asked()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("deploy.sh"), $"export GITHUB_TOKEN={Token}\n");
        var masked = Audit(dir.File("deploy.sh"), "--format", "json");
        Assert.DoesNotContain(Token, masked.StdoutText, StringComparison.Ordinal);
        Assert.Contains("ghp_****", masked.StdoutText, StringComparison.Ordinal);
        var shown = Audit(dir.File("deploy.sh"), "--format", "json", "--show-secrets");
        Assert.Contains(Token, shown.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_file_is_written_and_the_summary_goes_to_stderr()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pod.yaml"), Privileged);
        var result = Audit(dir.File("pod.yaml"), "--format", "sarif", "-o", dir.File("out.sarif"), "--rule", "KW404");
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("1 finding", result.Stderr, StringComparison.Ordinal);
        using var sarif = JsonDocument.Parse(File.ReadAllText(dir.File("out.sarif")));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void The_output_is_never_one_of_the_files_audited()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pod.yaml"), Privileged);
        var result = Audit(dir.File("pod.yaml"), "--format", "json", "-o", dir.File("pod.yaml"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is one of the files audited", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(Privileged, File.ReadAllText(dir.File("pod.yaml")));

        var inFolder = Audit(dir.Path, "--format", "json", "-o", dir.File("pod.yaml"));
        Assert.Equal(2, inFolder.ExitCode);
        File.CreateSymbolicLink(dir.File("report.json"), dir.File("pod.yaml"));
        Assert.Equal(2, Audit(dir.Path, "--format", "json", "-o", dir.File("report.json")).ExitCode);
        Assert.Equal(Privileged, File.ReadAllText(dir.File("pod.yaml")));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("html")]
    public void A_report_saved_in_the_folder_is_not_audited_again(string format)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("deploy.sh"), $"export GITHUB_TOKEN={Token}\n");
        var report = dir.File("keyward-report." + format);
        Assert.Equal(1, Audit(dir.Path, "--format", format, "-o", report).ExitCode);
        var again = Audit(dir.Path, "--format", "json");
        using var json = JsonDocument.Parse(again.Stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.EndsWith("deploy.sh", finding.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Contains("a keyward report", again.Stderr + again.StdoutText, StringComparison.Ordinal);

        // One written with --show-secrets holds the token in clear: it is audited like any file.
        Assert.Equal(1, Audit(dir.Path, "--format", format, "-o", report, "--show-secrets").ExitCode);
        var shown = Audit(dir.Path, "--format", "json");
        using var shownJson = JsonDocument.Parse(shown.Stdout);
        Assert.Contains(shownJson.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("file").GetString()!.EndsWith(format, StringComparison.Ordinal));
    }

    [Fact]
    public void Sarif_rules_carry_the_severity_their_findings_have_in_this_run()
    {
        // GitHub code scanning shows an alert with its rule's security-severity, not the result's.
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pod.yaml"), Privileged);
        File.WriteAllText(dir.File(".keyward.yaml"), "rules:\n  KW404: medium\n");
        var result = Audit(dir.File("pod.yaml"), "--format", "sarif", "--config", dir.File(".keyward.yaml"), "--fail-on", "none");
        using var sarif = JsonDocument.Parse(result.Stdout);
        var rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        var privileged = rules.Single(r => r.GetProperty("id").GetString() == "KW404");
        Assert.Equal("5.5", privileged.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal("warning", privileged.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        var unused = rules.Single(r => r.GetProperty("id").GetString() == "KW301");
        Assert.Equal("9.5", unused.GetProperty("properties").GetProperty("security-severity").GetString());
    }

    [Fact]
    public void A_baseline_silences_existing_findings_but_not_new_ones()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pod.yaml"), Privileged);
        var baseline = dir.File("baseline.json");
        // Recording the baseline is setup, not a failed check: it exits 0 and says what it wrote.
        var written = Audit(dir.File("pod.yaml"), "--write-baseline", baseline);
        Assert.Equal(0, written.ExitCode);
        Assert.Matches($"keyward: wrote the baseline \"{System.Text.RegularExpressions.Regex.Escape(baseline)}\": [0-9]+ findings accepted", written.Stderr);
        var again = Audit(dir.File("pod.yaml"), "--baseline", baseline);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("suppressed", again.StdoutText, StringComparison.Ordinal);
        File.WriteAllText(dir.File("secret.sh"), $"TOKEN={Token}\n");
        var withNew = Audit(dir.Path, "--baseline", baseline);
        Assert.Equal(1, withNew.ExitCode);
        Assert.Contains("KW207", withNew.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain("KW404", withNew.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("bogus")]
    public void Rules_in_a_format_they_do_not_have_is_a_usage_error(string format)
    {
        var run = CliRunner.Run(["audit", "--rules", "--format", format]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("keyward: hint: use text, markdown", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.StdoutText);
    }

    [Fact]
    public void Config_turns_rules_off_overrides_severities_and_excludes_paths()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pod.yaml"), Privileged);
        File.WriteAllText(dir.File("config.yaml"), "rules:\n  KW404: low\n  KW801: off\nexclude: [\"vendor/**\"]\n");
        Directory.CreateDirectory(dir.File("vendor"));
        File.WriteAllText(dir.File("vendor/chart.yaml"), Privileged);
        var result = Audit(dir.Path, "--config", dir.File("config.yaml"), "--format", "json");
        using var json = JsonDocument.Parse(result.Stdout);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.DoesNotContain(findings, f => f.GetProperty("ruleId").GetString() == "KW801");
        Assert.DoesNotContain(findings, f => f.GetProperty("file").GetString()!.Contains("vendor", StringComparison.Ordinal));
        Assert.Equal("low", findings.Single(f => f.GetProperty("ruleId").GetString() == "KW404").GetProperty("severity").GetString());
        var bad = Audit(dir.Path, "--config", dir.File("pod.yaml"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown setting", bad.Stderr, StringComparison.Ordinal);
        File.WriteAllText(dir.File("config.yaml"), "ignore:\n  - rule: KW404\n    object: apps/v1/Deployment/shop/web\n");
        var badObject = Audit(dir.Path, "--config", dir.File("config.yaml"));
        Assert.Equal(2, badObject.ExitCode);
        Assert.Contains("line 3 column 13", badObject.Stderr, StringComparison.Ordinal);
        Assert.Contains("Kind/namespace/name", badObject.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Annotation_and_inline_comment_suppress_named_rules()
    {
        using var dir = new TempDir();
        var annotated = Privileged.Replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n    keyward.io/ignore: \"KW404: needs /dev/fuse, reviewed in OPS-12\"\n", StringComparison.Ordinal);
        File.WriteAllText(dir.File("pod.yaml"), annotated);
        File.WriteAllText(dir.File("ci.sh"), $"# keyward:ignore github-token test fixture\nTOKEN={Token}\n");
        var result = Audit(dir.Path, "--rule", "KW404", "--rule", "KW207");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2 suppressed", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_does_not_parse_is_a_finding_and_the_scan_goes_on()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a-broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: indent\n");
        File.WriteAllText(dir.File("b-pod.yaml"), Privileged);
        var result = Audit(dir.Path, "--format", "json", "--rule", "KW001", "--rule", "KW404");
        using var json = JsonDocument.Parse(result.Stdout);
        var rules = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("ruleId").GetString(), f.GetProperty("line").GetInt32())).ToList();
        Assert.Contains(("KW001", 5), rules);
        Assert.Contains(rules, r => r.Item1 == "KW404");
    }

    [Fact]
    public void Symbolic_links_inside_a_folder_are_not_followed_so_a_link_cycle_or_a_second_name_changes_nothing()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("a"));
        File.WriteAllText(dir.File("a/secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: shop\nstringData:\n  token: not-encrypted\n");
        File.CreateSymbolicLink(dir.File("a/up"), "..");
        File.CreateSymbolicLink(dir.File("same.yaml"), "a/secret.yaml");
        File.CreateSymbolicLink(dir.File("dangling.yaml"), "nowhere.yaml");
        var result = Audit(dir.Path, "--rule", "KW101", "--format", "json");
        Assert.True(result.ExitCode == 1, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.EndsWith("a/secret.yaml", finding.GetProperty("file").GetString(), StringComparison.Ordinal);
        // A link named on the command line is followed: the user asked for it.
        Assert.Equal(1, Audit(dir.File("same.yaml"), "--rule", "KW101").ExitCode);
    }

    [Fact]
    public void Binary_and_oversized_files_are_skipped_and_counted()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("image.bin"), [0x89, 0x50, 0x00, 0x01, 0x02]);
        File.WriteAllText(dir.File("big.txt"), new string('a', 2 * 1024 * 1024));
        var result = Audit(dir.Path, "--max-file-size", "1");
        Assert.Contains("1 binary skipped", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("1 too large skipped", result.StdoutText, StringComparison.Ordinal);
    }
}
