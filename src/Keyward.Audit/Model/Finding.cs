using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>Where a finding from Git history came from.</summary>
public sealed record CommitInfo(string Sha, DateTimeOffset AuthorDate, string Author);

/// <summary>
/// One problem found: which rule, where (file, line, column, object, field path), what and how to fix it.
/// <see cref="Secrets"/> holds the sensitive strings the finding is about; reports mask them unless asked not to.
/// </summary>
public sealed record Finding
{
    public required string RuleId { get; init; }
    public required string RuleName { get; init; }
    public required Category Category { get; init; }
    public required Severity Severity { get; init; }
    public required string File { get; init; }
    public required SourcePosition Position { get; init; }
    public ObjectReference? Resource { get; init; }
    public string? FieldPath { get; init; }
    public required string Message { get; init; }
    public required string Remediation { get; init; }
    /// <summary>Set by the engine once every finding is in (<see cref="Fingerprints"/>); empty until then.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>The file's path in its Git work tree (<see cref="TreeRoot"/>), with forward slashes; set with the fingerprint.</summary>
    public string? TreePath { get; init; }

    /// <summary>The file's Git work tree, or the folder keyward ran from when it is in none.</summary>
    public string? TreeRoot { get; init; }
    public CommitInfo? Commit { get; init; }

    /// <summary>The offending source line, if known (secrets inside it are masked by the reports).</summary>
    public string? SourceLine { get; init; }

    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>The <c>keyward.io/ignore</c> annotations of the object the finding is in (for suppressions); not reported.</summary>
    internal IReadOnlyList<string> IgnoreAnnotations { get; init; } = [];

    /// <summary>The text the finding is in (for inline suppressions); not reported.</summary>
    internal SourceText? Source { get; init; }

    /// <summary>The file the fingerprint names when it is not <see cref="File"/> (a kustomize build mapped to its source); not reported.</summary>
    internal string? IdentityFile { get; init; }

    /// <summary>
    /// For a finding about a part of a scalar's value (<see cref="FindingSink.ReportWithinValue"/>), where that part
    /// starts in the value: a kustomize build mapped to its source finds the same part in the source's value. Not reported.
    /// </summary>
    internal int? ValueOffset { get; init; }

    /// <summary>
    /// For a finding inside a multi-line value, the line where the value starts (its key's): a <c>keyward:ignore</c>
    /// comment there, or above it, covers the finding as it did when findings were reported at that line. Not reported.
    /// </summary>
    internal int? ValueLine { get; init; }

    /// <summary>
    /// A finding in a commit's added lines that names its object by the line's document. Earlier versions of keyward
    /// named none there, so a baseline they wrote holds the fingerprint without the object. Not reported.
    /// </summary>
    internal bool ObjectByLine { get; init; }

    public override string ToString() => $"{File}:{Position} {RuleId} {Message}";
}
