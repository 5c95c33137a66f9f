using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keyward.Sealing.Tests;

/// <summary>
/// A loopback HTTP server standing in for the controller's <c>/v1/cert.pem</c> (or any web server holding the
/// certificate): it answers <c>/v1/cert.pem</c> with <see cref="Body"/>, <c>/slow</c> only after <see cref="SlowDelay"/>,
/// and anything else with 404.
/// </summary>
public sealed class LoopbackCertificateServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LoopbackCertificateServer(string body)
    {
        Body = body;
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

    public string Body { get; }

    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, the Authorization header every request must carry; others get 401.</summary>
    public string? RequiredAuthorization { get; init; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public void Dispose()
    {
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

    private async Task Answer(HttpListenerContext context)
    {
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            if (path == "/slow")
                await Task.Delay(SlowDelay, stop.Token);
            bool found = path is "/v1/cert.pem" or "/slow";
            bool allowed = RequiredAuthorization is null || context.Request.Headers["Authorization"] == RequiredAuthorization;
            context.Response.StatusCode = !allowed ? 401 : found ? 200 : 404;
            found &= allowed;
            var bytes = Encoding.UTF8.GetBytes(found ? Body : "404 page not found\n");
            context.Response.ContentType = "text/plain";
            await context.Response.OutputStream.WriteAsync(bytes, stop.Token);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client gave up (a timeout test) or the server is stopping.
        }
    }
}
