using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Keyward.Age.Streaming;

/// <summary>
/// Runs read, transform and write over a few reusable batches, each stage on its own thread and in order, so that
/// reading the input, the AEAD work and writing the output overlap on two cores. An input that fits in one batch
/// runs inline with no threads. The first failure of any stage stops the others and is rethrown.
/// </summary>
internal static class BatchPipeline
{
    public const int BatchesInFlight = 4;

    /// <param name="read">Fills a batch; returns true when it is the last one.</param>
    public static void Run<TBatch>(Func<TBatch> create, Func<TBatch, bool> read, Action<TBatch> transform, Action<TBatch> write,
        CancellationToken cancellationToken) where TBatch : class
    {
        var first = create();
        if (read(first))
        {
            transform(first);
            write(first);
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new BlockingCollection<TBatch>();
        using var toTransform = new BlockingCollection<TBatch>();
        using var toWrite = new BlockingCollection<TBatch>();
        for (int i = 1; i < BatchesInFlight; i++)
            free.Add(create(), CancellationToken.None);
        toTransform.Add(first, CancellationToken.None);
        ExceptionDispatchInfo? failure = null;

        void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            cts.Cancel();
        }

        void Stage(Action body, BlockingCollection<TBatch>? completes)
        {
            try
            {
                body();
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                completes?.CompleteAdding();
            }
        }

        var reader = Task.Factory.StartNew(() => Stage(() =>
        {
            while (true)
            {
                var batch = free.Take(cts.Token);
                bool last = read(batch);
                toTransform.Add(batch, cts.Token);
                if (last)
                    return;
            }
        }, toTransform), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var writer = Task.Factory.StartNew(() => Stage(() =>
        {
            foreach (var batch in toWrite.GetConsumingEnumerable(cts.Token))
            {
                write(batch);
                free.Add(batch, cts.Token);
            }
        }, null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Stage(() =>
        {
            foreach (var batch in toTransform.GetConsumingEnumerable(cts.Token))
            {
                transform(batch);
                toWrite.Add(batch, cts.Token);
            }
        }, toWrite);

        Task.WaitAll(reader, writer);
        failure?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
