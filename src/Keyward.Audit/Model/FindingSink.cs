using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Where rules put their findings. The engine sets the current rule; rules give the place (a YAML node or a text
/// offset), the message and the sensitive strings; the sink fills in the rule's metadata (the engine adds the fingerprint).
/// </summary>
public sealed class FindingSink
{
    private readonly List<Finding> _findings = [];
    private readonly Func<string, SourceText?> _texts;

    // The line of the last finding: findings on one line share its string. A one-line JSON backup of a thousand
    // Secrets gives thousands of findings on a line of hundreds of kilobytes, and a copy each was gigabytes.
    private SourceText? _lastLineText;
    private int _lastLineNumber;
    private string? _lastLine;

    public FindingSink(Func<string, SourceText?> texts)
    {
        _texts = texts;
    }

    internal Rule? Current { get; set; }

    /// <summary>
    /// The text being checked. History scans hold one text per commit and file under the same name, so a document's
    /// findings take their commit and excerpt from this text, not from a lookup by name.
    /// </summary>
    internal SourceText? CurrentText { get; set; }

    private SourceText? Resolve(string file) => CurrentText is { } current && current.File == file ? current : _texts(file);

    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>Findings made by another sink for the same rule and text (checked ahead), in their order.</summary>
    internal void AddRange(List<Finding> findings) => _findings.AddRange(findings);

    /// <summary>Removes the findings from index <paramref name="start"/> on that <paramref name="drop"/> selects.</summary>
    internal void DropSince(int start, Predicate<Finding> drop)
    {
        int kept = start;
        for (int i = start; i < _findings.Count; i++)
        {
            if (!drop(_findings[i]))
                _findings[kept++] = _findings[i];
        }
        _findings.RemoveRange(kept, _findings.Count - kept);
    }

    /// <summary>A finding about a node of a manifest document.</summary>
    public void Report(ManifestDocument document, YamlValue? node, string? fieldPath, string message,
        Severity? severity = null, IReadOnlyList<string>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var position = (node ?? document.Root).Position;
        Add(document.File, position, document.Kind is null ? null : document.Reference, fieldPath, message, severity, secrets,
            Resolve(document.File), Suppressions.AnnotationsOf(document));
    }

    /// <summary>
    /// A finding about a part of a scalar's value (a credential on one line of an embedded file): at the line and
    /// column where that part is written, or at the scalar when the source does not show it as it is in the value.
    /// </summary>
    public void ReportWithinValue(ManifestDocument document, YamlScalar node, int valueOffset, string? fieldPath, string message,
        Severity? severity = null, IReadOnlyList<string>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(node);
        var text = Resolve(document.File);
        var position = ScalarSource.PositionOf(text, node, valueOffset) ?? node.Position;
        Add(document.File, position, document.Kind is null ? null : document.Reference, fieldPath, message, severity, secrets,
            text, Suppressions.AnnotationsOf(document), valueOffset, position.Line != node.Line ? node.Line : null);
    }

    /// <summary>A finding about an object whose tree is no longer held (cross-object and deferred checks).</summary>
    public void Report(ObjectSite site, SourcePosition position, string? fieldPath, string message, Severity? severity = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        Add(site.File, position, site.Resource, fieldPath, message, severity, null, _texts(site.File), site.IgnoreAnnotations);
    }

    /// <summary>A finding at a character offset of a text file.</summary>
    public void Report(SourceText text, int offset, string message, Severity? severity = null, IReadOnlyList<string>? secrets = null,
        ObjectReference? obj = null, string? fieldPath = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        Add(text.File, text.PositionOf(offset), obj, fieldPath, message, severity, secrets, text);
    }

    /// <summary>A finding at a known position (parse errors).</summary>
    public void Report(string file, SourcePosition position, string message) =>
        Add(file, position, null, null, message, null, null, Resolve(file));

    private void Add(string file, SourcePosition position, ObjectReference? obj, string? fieldPath, string message,
        Severity? severity, IReadOnlyList<string>? secrets, SourceText? text, IReadOnlyList<string>? ignoreAnnotations = null,
        int? valueOffset = null, int? valueLine = null)
    {
        var rule = Current ?? throw new InvalidOperationException("no current rule");
        var commit = text?.Commit;
        _findings.Add(new Finding
        {
            RuleId = rule.Id,
            RuleName = rule.Name,
            Category = rule.Category,
            Severity = severity ?? rule.Severity,
            File = file,
            Position = position,
            Resource = obj,
            FieldPath = fieldPath,
            Message = message,
            Remediation = commit is null ? rule.Fix : InHistory + rule.Fix,
            Commit = commit,
            Source = text,
            SourceLine = Line(text, position.Line),
            Secrets = secrets ?? [],
            IgnoreAnnotations = ignoreAnnotations ?? [],
            ValueOffset = valueOffset,
            ValueLine = valueLine,
        });
    }

    /// <summary>
    /// What a finding in a commit needs first: fixing the file today leaves the value in every clone's history, and the
    /// finding in every --git run, so it is rotated and then accepted (or the history rewritten).
    /// </summary>
    internal const string InHistory = "The value is in the Git history, where changing the file now leaves it readable in every clone: "
        + "rotate it (a new key, token or password), then accept this finding with a baseline (keyward audit --git --write-baseline FILE, "
        + "then --baseline FILE) or rewrite the history. For the file itself: ";

    private string? Line(SourceText? text, int line)
    {
        if (text is null)
            return null;
        if (!ReferenceEquals(text, _lastLineText) || line != _lastLineNumber)
        {
            _lastLine = text.FileLine(line);
            _lastLineText = text;
            _lastLineNumber = line;
        }
        return _lastLine;
    }
}
