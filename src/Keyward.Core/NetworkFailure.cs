using System.Net.Sockets;

namespace Keyward.Core;

/// <summary>
/// What HttpClient throws when the network fails: mostly HttpRequestException, but a connection reset as it opens
/// can come out as a bare SocketException ("transport endpoint is not connected"), and one cut while the answer is
/// read as an IOException. The commands that fetch (OVHcloud API calls, a certificate URL) treat them alike.
/// </summary>
public static class NetworkFailure
{
    public static bool Is(Exception e) => e is HttpRequestException or SocketException or IOException;

    /// <summary>The reason in lower case, for the end of a sentence: the socket's own message when HttpClient wrapped one.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e is HttpRequestException ? e.InnerException?.Message ?? e.Message : e.Message;
        return message.TrimEnd('.').ToLowerInvariant();
    }
}
