using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// A rule's own test case: a small file that must (or must not) make the rule fire. The test suite runs every
/// example of every rule, and docs/rules.md shows them.
/// </summary>
public sealed record RuleExample(string Description, string Source, bool ShouldFail, string FileName = "example.yaml");

/// <summary>
/// A check. A rule looks at one manifest document, one text file, or the whole set of inputs (for checks
/// across objects: bindings to roles, namespaces and their policies). Override the hooks it needs.
/// </summary>
public abstract class Rule
{
    /// <summary>Stable identifier (<c>KW301</c>) used in suppressions, baselines and SARIF.</summary>
    public abstract string Id { get; }

    /// <summary>Short kebab-case name (<c>cluster-admin-binding</c>); accepted wherever an ID is.</summary>
    public abstract string Name { get; }

    public abstract string Title { get; }
    public abstract Severity Severity { get; }
    public abstract Category Category { get; }

    /// <summary>Why the finding matters, in a sentence or two.</summary>
    public abstract string Why { get; }

    /// <summary>How to fix it; ends with a period.</summary>
    public abstract string Fix { get; }

    public abstract IReadOnlyList<RuleExample> Examples { get; }

    /// <summary>Called for each manifest document.</summary>
    /// <summary>
    /// True when <see cref="CheckText"/> and <see cref="CheckDocument"/> read nothing but the text or document they
    /// are given (not the context, no state of their own): the engine may then run them for a file ahead of the
    /// other rules, on another thread. Their findings keep their place in the report.
    /// </summary>
    public virtual bool ChecksEachFileAlone => false;

    public virtual void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink) { }

    /// <summary>Called for each text file (manifests included), e.g. for credential patterns.</summary>
    public virtual void CheckText(SourceText text, FindingSink sink) { }

    /// <summary>Called once after all documents, for checks across objects.</summary>
    public virtual void CheckRepository(AuditContext context, FindingSink sink) { }

    public override string ToString() => $"{Id} {Name}";
}
