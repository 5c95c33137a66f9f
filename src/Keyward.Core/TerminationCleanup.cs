using System.Runtime.InteropServices;

namespace Keyward.Core;

/// <summary>
/// Files and folders that must not outlive the process when a signal stops it: an atomic write's temporary file,
/// the private folder that holds a plaintext for an editor or a command. A signal handler calls <see cref="RemoveAll"/>;
/// <see cref="HandleSignals"/> has it installed for SIGINT, SIGTERM, SIGHUP and SIGQUIT (the one place that does), on
/// the first path registered: most runs (an audit to stdout) never make one, and need not pay for the handlers.
/// Paths are created under the same lock the handler takes, so none can appear after the handler has run.
/// </summary>
public sealed class TerminationCleanup
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, string> _paths = [];
    private long _next;
    private bool _stopping;
    private int _deferInterrupts;

    /// <summary>The process's own list, used by <see cref="AtomicFile"/> and the commands.</summary>
    public static TerminationCleanup Process { get; } = new();

    /// <summary>Whether SIGINT and SIGQUIT are left to a child in the foreground (an editor, a command) for now.</summary>
    public bool DefersInterrupts => Volatile.Read(ref _deferInterrupts) > 0;

    /// <summary>
    /// Runs <paramref name="create"/> (which returns the path it created) and remembers the path until the returned
    /// handle is disposed. Throws <see cref="OperationCanceledException"/> once the process is stopping.
    /// </summary>
    public IDisposable Register(Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        InstallHandlersIfWanted();
        lock (_gate)
        {
            if (_stopping)
                throw new OperationCanceledException("stopped by a signal");
            var path = create();
            var id = ++_next;
            _paths[id] = path;
            return new Registration(this, id);
        }
    }

    /// <summary>
    /// While the scope lasts, Ctrl-C and Ctrl-\ go to the child that has the terminal (git does the same around its
    /// editor): the editor handles them itself, and keyward ends when the child does. SIGTERM and SIGHUP still stop keyward.
    /// </summary>
    public IDisposable DeferInterrupts()
    {
        InstallHandlersIfWanted();
        Interlocked.Increment(ref _deferInterrupts);
        return new Deferral(this);
    }

    /// <summary>Removes every registered path (files zeroed first when they are in a registered folder) and refuses new ones.</summary>
    public void RemoveAll()
    {
        lock (_gate)
        {
            _stopping = true;
            foreach (var path in _paths.Values)
                Remove(path);
            _paths.Clear();
        }
    }

    /// <summary>
    /// Asks for the signal handlers, installed for the life of the process when <see cref="Process"/> first needs
    /// them. Only the executable asks: tests that run commands in their own process keep its default handling.
    /// </summary>
    public static void HandleSignals() => Volatile.Write(ref _handlersWanted, true);

    private static bool _handlersWanted;
    private static List<PosixSignalRegistration>? _handlers; // held so that they live as long as the process
    private static readonly Lock HandlersGate = new();

    private void InstallHandlersIfWanted()
    {
        if (!ReferenceEquals(this, Process) || !Volatile.Read(ref _handlersWanted) || Volatile.Read(ref _handlers) is not null)
            return;
        lock (HandlersGate)
            _handlers ??= InstallHandlers();
    }

    private static List<PosixSignalRegistration> InstallHandlers()
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // Windows has no SIGHUP or SIGQUIT; the others are still handled.
            }
        }
        return registrations;
    }

    private static void OnSignal(PosixSignalContext context)
    {
        if (context.Signal is PosixSignal.SIGINT or PosixSignal.SIGQUIT && Process.DefersInterrupts)
        {
            context.Cancel = true;
            return;
        }
        // Cancel stays false: after the cleanup the runtime ends the process as the signal would (128 + number).
        Process.RemoveAll();
    }

    private static void Remove(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                    FileWipe.Overwrite(file);
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the process is stopping and has no one to report to.
        }
    }

    private void Release(long id)
    {
        lock (_gate)
            _paths.Remove(id);
    }

    private sealed class Registration(TerminationCleanup owner, long id) : IDisposable
    {
        public void Dispose() => owner.Release(id);
    }

    private sealed class Deferral(TerminationCleanup owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref owner._deferInterrupts);
        }
    }
}
