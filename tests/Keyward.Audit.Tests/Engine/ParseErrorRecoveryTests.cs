namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// A file with a YAML error is still audited document by document (kubectl applies the others), and the error is
/// reported unless the file is a Helm template, whose errors are noise until it is rendered.
/// </summary>
public class ParseErrorRecoveryTests
{
    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  password: Sup3rS3cretPassw0rd\n";

    private static List<(string Rule, int Line)> Findings(string file, string text) =>
        [.. AuditHarness.Run(file, text, new AuditOptions { OnlyRules = ["KW001", "KW101"] }).Findings.Select(f => (f.RuleId, f.Position.Line)).Order()];

    [Fact]
    public void A_plaintext_secret_after_a_duplicate_key_is_found_and_the_error_reported()
    {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: prod\n  labels:\n    app: a\n    app: b\n---\n" + Secret;
        Assert.Equal([("KW001", 8), ("KW101", 15)], Findings("f.yaml", text));
    }

    [Fact]
    public void A_secret_with_a_duplicate_key_is_read_as_kubectl_reads_it()
    {
        // kubernetes/examples' quobyte-admin-secret.yaml: "type" written twice.
        var text = Secret.Replace("stringData:", "type: Opaque\ntype: kubernetes.io/quobyte\nstringData:", StringComparison.Ordinal);
        Assert.Equal([("KW001", 7), ("KW101", 8)], Findings("s.yaml", text));
    }

    [Fact]
    public void Template_braces_in_a_comment_do_not_hide_the_error()
    {
        var text = "# rendered from {{ .Values.db }}\n" + Secret.Replace("  namespace: prod\n", "  namespace: prod\n  namespace: prod\n", StringComparison.Ordinal);
        Assert.Contains(("KW001", 7), Findings("s.yaml", text));
        Assert.Contains(Findings("s.yaml", text), f => f.Rule == "KW101");
    }

    [Fact]
    public void A_helm_template_s_errors_stay_quiet()
    {
        var text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\nstringData:\n  a: b\n{{- end }}\n";
        Assert.DoesNotContain(Findings("chart/templates/secret.yaml", text), f => f.Rule == "KW001");
    }
}
