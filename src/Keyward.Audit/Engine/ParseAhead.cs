using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// The texts of an audit in order, each read and with its manifests parsed. With a second core, reading and parsing
/// run a few files ahead on another thread while the rules check the current file: parsing is independent per file,
/// and the rules still see the files one at a time and in order, so findings are the same.
/// </summary>
internal static class ParseAhead
{
    /// <summary>Files parsed ahead at most: enough to cover a slow file, small enough to keep memory flat.</summary>
    private const int Lookahead = 4;

    public static IEnumerable<(SourceText Text, ManifestLoader.Result? Parsed)> Run(IEnumerable<SourceText> texts, Func<SourceText, bool> isManifest)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(isManifest);
        if (Environment.ProcessorCount < 2)
        {
            foreach (var text in texts)
                yield return (text, Parse(text, isManifest));
            yield break;
        }
        // Items are objects, not tuples: the framework's precompiled shared code serves a queue of references, where a
        // queue of value tuples would be compiled at run time.
        using var queue = new BlockingCollection<Parsed>(Lookahead);
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread(() =>
        {
            try
            {
                foreach (var text in texts)
                    queue.Add(new Parsed(text, Parse(text, isManifest)), stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early (an error or a dropped enumeration).
            }
#pragma warning disable CA1031 // Handed to the consumer and rethrown there unchanged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        { IsBackground = true, Name = "keyward parse-ahead" };
        producer.Start();
        try
        {
            foreach (var item in queue.GetConsumingEnumerable())
                yield return (item.Text, item.Result);
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            producer.Join();
        }
    }

    private sealed record Parsed(SourceText Text, ManifestLoader.Result? Result);

    /// <summary>Reads the file (if it is on disk and not read yet) and parses its manifests.</summary>
    private static ManifestLoader.Result? Parse(SourceText text, Func<SourceText, bool> isManifest)
    {
        var contents = text.Text;
        return isManifest(text) ? ManifestLoader.Load(contents, text.File) : null;
    }
}
