using System.Net;
using System.Net.Sockets;

namespace Keyward.Testing;

/// <summary>
/// An HTTP server on a free loopback port for tests that stand in for a remote service (the OVHcloud API, a Sealed
/// Secrets controller's certificate endpoint): each request is answered by <see cref="Answer"/> on a task of its own,
/// and <see cref="Dispose()"/> stops it.
/// </summary>
public abstract class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    protected LoopbackHttpServer()
    {
        // A port found free can be taken before the listener starts: try another.
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort();
            listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
        loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    /// <summary>Cancelled when the server stops: for answers that wait.</summary>
    protected CancellationToken Stopping => stop.Token;

    /// <summary>Answers one request.</summary>
    protected abstract Task Answer(HttpListenerContext context);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        stop.Cancel();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener; how it ends does not matter here.
        }
        stop.Dispose();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }
}
