namespace Keyward.Audit.Tests.Engine;

/// <summary>What the summary counts.</summary>
public class AuditStatsTests
{
    [Fact]
    public void A_list_counts_its_items_as_objects_not_itself()
    {
        const string List = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a, namespace: shop}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b, namespace: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n";
        Assert.Equal(3, AuditHarness.Run("list.yaml", List).Stats.Documents);
    }
}
