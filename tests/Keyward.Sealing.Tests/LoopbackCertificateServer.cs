using System.Net;
using System.Text;
using Keyward.Testing;

namespace Keyward.Sealing.Tests;

/// <summary>
/// A loopback HTTP server standing in for the controller's <c>/v1/cert.pem</c> (or any web server holding the
/// certificate): it answers <c>/v1/cert.pem</c> with <see cref="Body"/>, <c>/slow</c> only after <see cref="SlowDelay"/>,
/// and anything else with 404.
/// </summary>
public sealed class LoopbackCertificateServer : LoopbackHttpServer
{
    public LoopbackCertificateServer(string body) => Body = body;

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public string Body { get; }

    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, the Authorization header every request must carry; others get 401.</summary>
    public string? RequiredAuthorization { get; init; }

    protected override async Task Answer(HttpListenerContext context)
    {
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            if (path == "/slow")
                await Task.Delay(SlowDelay, Stopping);
            bool found = path is "/v1/cert.pem" or "/slow";
            bool allowed = RequiredAuthorization is null || context.Request.Headers["Authorization"] == RequiredAuthorization;
            context.Response.StatusCode = !allowed ? 401 : found ? 200 : 404;
            found &= allowed;
            var bytes = Encoding.UTF8.GetBytes(found ? Body : "404 page not found\n");
            context.Response.ContentType = "text/plain";
            await context.Response.OutputStream.WriteAsync(bytes, Stopping);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client gave up (a timeout test) or the server is stopping.
        }
    }
}
