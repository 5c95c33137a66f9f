using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// The texts of an audit in order, each read and with its manifests parsed. With a second core, reading and parsing run
/// a few files ahead on another thread while the rules check the current file, and that thread also takes on work that
/// needs no other file (the rules that check each file alone) whenever the rules fall behind. The rules still see the
/// files one at a time and in order, so findings are the same.
/// </summary>
internal static class ParseAhead
{
    /// <summary>Files parsed ahead at most: enough to cover a slow file, small enough to keep memory flat.</summary>
    private const int Lookahead = 8;

    /// <param name="prepare">
    /// Work on one text that needs no other file (may be null). With a second core it is shared out: the parsing thread
    /// does it for a file when the rules are behind (files are waiting for them), the rules' thread when it has caught
    /// up. A file is handed out once its work is done, by whichever thread took it; on one core nothing is prepared.
    /// </param>
    /// <param name="prepareAll">Prepare every file on the parsing thread, and on one core too (for tests).</param>
    public static IEnumerable<(SourceText Text, ManifestLoader.Result? Parsed)> Run(
        IEnumerable<SourceText> texts, Func<SourceText, bool> isManifest, Action<SourceText, ManifestLoader.Result?>? prepare = null, bool prepareAll = false)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(isManifest);
        if (Environment.ProcessorCount < 2)
        {
            foreach (var text in texts)
            {
                var parsed = Parse(text, isManifest);
                if (prepareAll)
                    prepare?.Invoke(text, parsed);
                yield return (text, parsed);
            }
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
                {
                    var item = new Parsed(text, Parse(text, isManifest));
                    // Half the window waiting: the rules are behind, so this thread does this file's share too. The
                    // rules then have files to check before they reach this one, instead of waiting for it.
                    bool mine = prepare is not null && (prepareAll || queue.Count >= Lookahead / 2) && item.TryClaim();
                    queue.Add(item, stop.Token);
                    if (mine)
                        item.Prepare(prepare!);
                }
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
            {
                // Not taken by the parsing thread: the rules run as usual when the engine reaches the file.
                if (prepare is not null && !item.TryClaim())
                    item.WaitPrepared();
                yield return (item.Text, item.Result);
            }
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            producer.Join();
        }
    }

    /// <summary>A parsed file, and who does its file-local work: free, taken, or done (by the parsing thread).</summary>
    private sealed class Parsed(SourceText text, ManifestLoader.Result? result)
    {
        private const int Free = 0, Taken = 1, Done = 2;
        private int _state;
        private ExceptionDispatchInfo? _failure;

        public SourceText Text { get; } = text;

        public ManifestLoader.Result? Result { get; } = result;

        public bool TryClaim() => Interlocked.CompareExchange(ref _state, Taken, Free) == Free;

        public void Prepare(Action<SourceText, ManifestLoader.Result?> prepare)
        {
            try
            {
                prepare(Text, Result);
            }
#pragma warning disable CA1031 // Rethrown on the consumer's thread, where the file is checked.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            lock (this)
            {
                _state = Done;
                Monitor.PulseAll(this);
            }
        }

        public void WaitPrepared()
        {
            lock (this)
            {
                while (_state != Done)
                    Monitor.Wait(this);
            }
            _failure?.Throw();
        }
    }

    /// <summary>Reads the file (if it is on disk and not read yet) and parses its manifests.</summary>
    private static ManifestLoader.Result? Parse(SourceText text, Func<SourceText, bool> isManifest)
    {
        var contents = text.Text;
        return isManifest(text) && !text.IsBinary ? ManifestLoader.Load(contents, text.File) : null;
    }
}
