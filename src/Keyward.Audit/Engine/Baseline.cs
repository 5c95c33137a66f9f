using System.Text.Json;
using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// The fingerprints of accepted findings. A baseline lets a repository adopt the audit without fixing everything
/// first: baselined findings are counted but do not fail the run, new ones do.
/// </summary>
public sealed class Baseline
{
    public Baseline(IEnumerable<string> fingerprints)
    {
        Fingerprints = new HashSet<string>(fingerprints, StringComparer.Ordinal);
    }

    public IReadOnlySet<string> Fingerprints { get; }

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
            var list = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("fingerprint").GetString() ?? "");
            return new Baseline(list);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" line {line + 1} column {(e.BytePositionInLine ?? 0) + 1}" : "";
            var reason = KeywardException.Plain(e.Message.Split(" LineNumber", 2)[0]);
            throw new KeywardException($"\"{path}\"{where}: not a keyward baseline: invalid JSON: {reason}", "write one with --write-baseline", FailureKind.Usage, e);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new KeywardException($"\"{path}\": not a keyward baseline: it needs a \"findings\" list of objects with a \"fingerprint\" string",
                "write one with --write-baseline", FailureKind.Usage, e);
        }
    }

    /// <summary>Writes the findings' fingerprints with enough context (rule, file, object) to review the file.</summary>
    public static void Write(string path, IEnumerable<Finding> findings)
    {
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteStartArray("findings");
            foreach (var f in findings.DistinctBy(f => f.Fingerprint).OrderBy(f => f.Fingerprint, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("fingerprint", f.Fingerprint);
                json.WriteString("rule", f.RuleId);
                json.WriteString("file", f.File);
                if (f.Resource is not null)
                    json.WriteString("object", f.Resource.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
