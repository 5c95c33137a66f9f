using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Credentials;

/// <summary>
/// A rule made of credential patterns. It scans every text file, and also the base64-decoded <c>data</c> values of
/// Secrets and the <c>binaryData</c> of ConfigMaps, where a plain text search cannot see the credential.
/// </summary>
public abstract class CredentialRule : Rule
{
    public override Category Category => Category.Credentials;

    public abstract IReadOnlyList<CredentialPattern> Patterns { get; }

    public override bool ChecksEachFileAlone => true;

    public override void CheckText(SourceText text, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sink);
        if (GoChecksumFiles.Is(text.File))
            return;
        var lines = SharedPositions is { } positions ? SharedKeywordLines.For(text.Text, positions) : null;
        foreach (var match in CredentialScanner.Scan(text.Text, Patterns, text.File, lines))
            sink.Report(text, match.Offset, Message(match), secrets: [match.Secret]);
    }

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        var lines = DocumentScanLines.Of(document);
        // Literal env values are scanned as "NAME: value": the name is on another line of the YAML. A match is reported
        // where it is written, which for a value of several lines is not the value's first line.
        foreach (var env in lines.Env)
        {
            if (Matches(env, document.File) is { } matches)
            {
                foreach (var match in matches)
                {
                    sink.ReportWithinValue(document, env.Node, match.Offset - env.ValueOffset, env.Path,
                        Message(match) + $" in environment variable {env.Name}", secrets: [match.Secret]);
                }
            }
        }
        foreach (var data in lines.Decoded)
        {
            if (Matches(data, document.File) is { } matches)
            {
                foreach (var match in matches)
                    sink.Report(document, data.Node, $"{data.Field}.{data.Name}", Message(match) + " (base64-encoded)", secrets: [match.Secret, data.Base64]);
            }
        }
    }

    /// <summary>
    /// The matches of <see cref="Patterns"/> in a short line; null when none of their keywords occurs. Built-in rules
    /// share one keyword search per line (a dozen rules each searching every env value was most of their cost).
    /// </summary>
    private List<CredentialMatch>? Matches(DocumentScanLines.ScanLine line, string file)
    {
        if (SharedPositions is { } positions)
        {
            return SharedKeywordLines.Select(line.KeywordLines, positions) is { } keywordLines
                ? CredentialScanner.Scan(line.Line, Patterns, file, keywordLines)
                : null;
        }
        return line.AnyIn(_keywords ??= KeywordLines.For(Patterns)) ? CredentialScanner.Scan(line.Line, Patterns, file) : null;
    }

    /// <summary>Where this rule's patterns are in the shared keyword search; null for patterns that are not built in.</summary>
    private int[]? SharedPositions
    {
        get
        {
            // Two threads may both work it out: they get the same answer.
            if (!Volatile.Read(ref _positionsKnown))
            {
                _sharedPositions = SharedKeywordLines.Positions(Patterns);
                Volatile.Write(ref _positionsKnown, true);
            }
            return _sharedPositions;
        }
    }

    private int[]? _sharedPositions;
    private bool _positionsKnown;

    /// <summary>The keyword search of <see cref="Patterns"/>: a line with none of them cannot match (the scanner skips it too).</summary>
    private KeywordLines? _keywords;

    private static string Message(CredentialMatch match) =>
        $"{match.Pattern.Description} ({match.Pattern.Name}) hard-coded";
}
