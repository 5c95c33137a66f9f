namespace Keyward.Audit.Tests.Rules;

/// <summary>KW902 judges the rotate-by date keyward recorded against the run's time, injected here.</summary>
public class RotationDueTests
{
    private const string Stored = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n  annotations:\n    keyward.io/created-at: \"2025-11-23T00:00:00Z\"\n    keyward.io/rotate-by: \"2026-02-21T00:00:00Z\"\nstringData:\n  consumerKey: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n";

    private static IReadOnlyList<Finding> At(DateTimeOffset now, string text = Stored) =>
        AuditHarness.Run("ovh.sops.yaml", text, new AuditOptions { OnlyRules = ["KW902"], Now = now }).Findings;

    [Fact]
    public void A_credential_is_overdue_only_after_its_date_and_the_finding_says_by_how_much()
    {
        Assert.Empty(At(new DateTimeOffset(2026, 2, 20, 23, 0, 0, TimeSpan.Zero)));
        var late = Assert.Single(At(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("Secret ovh-credentials was due for rotation on 2026-02-21 (8 days ago)", late.Message);
        Assert.Equal(8, late.Position.Line);
        Assert.Equal("metadata.annotations.keyward.io/rotate-by", late.FieldPath);
    }

    /// <summary>The same credential as keyward seal writes it: the annotations move into spec.template.metadata.</summary>
    private const string Sealed = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\nspec:\n  encryptedData:\n    consumerKey: AgBy3i4OJSWK+PiTySYZZA==\n  template:\n    metadata:\n      name: ovh-credentials\n      namespace: karpenter\n      annotations:\n        keyward.io/rotate-by: \"2026-02-21T00:00:00Z\"\n";

    [Fact]
    public void A_sealed_credential_is_judged_by_the_date_in_its_template()
    {
        Assert.Empty(At(new DateTimeOffset(2026, 2, 20, 23, 0, 0, TimeSpan.Zero), Sealed));
        var late = Assert.Single(At(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Sealed));
        Assert.Equal("SealedSecret ovh-credentials was due for rotation on 2026-02-21 (8 days ago)", late.Message);
        Assert.Equal(14, late.Position.Line);
        Assert.Equal("spec.template.metadata.annotations.keyward.io/rotate-by", late.FieldPath);
    }

    [Fact]
    public void A_pod_template_annotation_is_no_credential()
    {
        var deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    metadata:\n      annotations:\n        keyward.io/rotate-by: \"2020-01-01T00:00:00Z\"\n";
        Assert.Empty(At(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), deployment));
    }

    [Fact]
    public void A_date_that_does_not_parse_is_said_so()
    {
        var bad = Assert.Single(At(DateTimeOffset.UnixEpoch, Stored.Replace("2026-02-21T00:00:00Z", "next spring", StringComparison.Ordinal)));
        Assert.Equal(Severity.Low, bad.Severity);
        Assert.Contains("is not a date", bad.Message, StringComparison.Ordinal);
    }

    /// <summary>A key validated for a limited time: keyward records its expiry, and rotate-by before it.</summary>
    private const string Expiring = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n  annotations:\n    keyward.io/expires: \"2026-01-02T00:00:00Z\"\n    keyward.io/rotate-by: \"2026-01-01T12:00:00Z\"\nstringData:\n  consumerKey: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n";

    [Fact]
    public void A_key_past_its_expiry_is_reported_as_high_rather_than_as_overdue()
    {
        Assert.Empty(At(new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero), Expiring));
        var due = Assert.Single(At(new DateTimeOffset(2026, 1, 1, 18, 0, 0, TimeSpan.Zero), Expiring));
        Assert.Equal("metadata.annotations.keyward.io/rotate-by", due.FieldPath);
        var expired = Assert.Single(At(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), Expiring));
        Assert.Equal(Severity.High, expired.Severity);
        Assert.Equal("Secret ovh-credentials: its key expired on 2026-01-02 (3 days ago) and every call with it is refused", expired.Message);
        Assert.Equal("metadata.annotations.keyward.io/expires", expired.FieldPath);
        Assert.Equal(7, expired.Position.Line);
    }

    [Fact]
    public void An_expiry_that_does_not_parse_is_said_so_and_rotate_by_still_counts()
    {
        var findings = At(new DateTimeOffset(2026, 1, 1, 18, 0, 0, TimeSpan.Zero), Expiring.Replace("2026-01-02T00:00:00Z", "tomorrow", StringComparison.Ordinal));
        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, f => f.Severity == Severity.Low && f.Message.Contains("keyward.io/expires is not a date", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.FieldPath == "metadata.annotations.keyward.io/rotate-by");
    }
}
