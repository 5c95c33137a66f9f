using System.Text.Json;
using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// The fingerprints of accepted findings. A baseline lets a repository adopt the audit without fixing everything
/// first: baselined findings are counted but do not fail the run, new ones do.
/// </summary>
public sealed class Baseline
{
    // Fingerprint -> the value tags accepted with it; a null tag accepts any value (an entry written without one).
    private readonly Dictionary<string, HashSet<string?>> _accepted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _legacy = new(StringComparer.Ordinal);

    /// <summary>A baseline of fingerprints accepted whatever their values.</summary>
    public Baseline(IEnumerable<string> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        foreach (var f in fingerprints)
            Add(f, null);
    }

    private Baseline()
    {
    }

    /// <summary>
    /// Is <paramref name="finding"/> (with its fingerprint set) one the baseline accepted: the same fingerprint and,
    /// when the entry recorded one, the same value tag? A version 1 baseline is matched by the fingerprint it held.
    /// </summary>
    public bool Accepts(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        // A history finding that names its object by its line: earlier versions named none, and their baselines hold
        // the fingerprint without it.
        if (AcceptedAs(finding.Fingerprint, finding)
            || (finding.ObjectByLine && finding.TreePath is { } path && AcceptedAs(Fingerprints.Of(finding with { Resource = null }, path), finding)))
            return true;
        return _legacy.Count > 0
            && (_legacy.Contains(Fingerprints.Legacy(finding)) || (finding.ObjectByLine && _legacy.Contains(Fingerprints.Legacy(finding with { Resource = null }))));
    }

    private bool AcceptedAs(string fingerprint, Finding finding) =>
        _accepted.TryGetValue(fingerprint, out var tags) && (tags.Contains(null) || tags.Contains(Fingerprints.ValueTag(finding)));

    private void Add(string fingerprint, string? tag)
    {
        if (!_accepted.TryGetValue(fingerprint, out var tags))
            _accepted[fingerprint] = tags = [];
        tags.Add(tag);
    }

    public static Baseline Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"baseline file \"{path}\" does not exist", "create it with --write-baseline", FailureKind.Usage, e);
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            // Version 1 (or none) held fingerprints of the old kind, with the values and the commit hashed in.
            bool legacy = !root.TryGetProperty("version", out var version) || version.GetInt32() < 2;
            var baseline = new Baseline();
            foreach (var entry in root.GetProperty("findings").EnumerateArray())
            {
                var fingerprint = entry.GetProperty("fingerprint").GetString() ?? "";
                if (legacy)
                    baseline._legacy.Add(fingerprint);
                else
                    baseline.Add(fingerprint, entry.TryGetProperty("value", out var tag) ? tag.GetString() : null);
            }
            return baseline;
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" line {line + 1} column {(e.BytePositionInLine ?? 0) + 1}" : "";
            var reason = ParserMessages.Json(e.Message);
            throw new KeywardException($"\"{path}\"{where}: not a keyward baseline: invalid JSON: {reason}", "write one with --write-baseline", FailureKind.Usage, e);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new KeywardException($"\"{path}\": not a keyward baseline: it needs a \"findings\" list of objects with a \"fingerprint\" string",
                "write one with --write-baseline", FailureKind.Usage, e);
        }
    }

    /// <summary>
    /// Writes the findings' fingerprints and value tags, with enough context (rule, file, object) to review the
    /// file. The file is the path in the Git work tree, as the fingerprint has it.
    /// </summary>
    public static void Write(string path, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var entries = findings
            .Select(f => (Finding: f, Tag: Fingerprints.ValueTag(f)))
            .DistinctBy(e => (e.Finding.Fingerprint, e.Tag))
            .OrderBy(e => e.Finding.Fingerprint, StringComparer.Ordinal).ThenBy(e => e.Tag, StringComparer.Ordinal)
            .ToList();
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteNumber("version", 2);
            json.WriteStartArray("findings");
            foreach (var (f, tag) in entries)
            {
                json.WriteStartObject();
                json.WriteString("fingerprint", f.Fingerprint);
                if (tag is not null)
                    json.WriteString("value", tag);
                json.WriteString("rule", f.RuleId);
                json.WriteString("file", f.TreePath ?? f.File);
                if (f.Resource is not null)
                    json.WriteString("object", f.Resource.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
