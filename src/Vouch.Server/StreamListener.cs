using System.Net;
using System.Net.Sockets;

namespace Vouch.Server;

/// <summary>The accept loop both front ends share: a TCP or UNIX stream socket, one task per connection, and a drain on stop.</summary>
public static class StreamListener
{
    /// <summary>
    /// Listens on <paramref name="endpoint"/> (an <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/>) until
    /// <paramref name="cancellationToken"/> fires, serving each connection with <paramref name="serve"/>; then waits for the open ones.
    /// </summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="socketMode">The permissions of a UNIX socket.</param>
    /// <param name="listening">Called with the bound endpoint once the socket listens.</param>
    /// <param name="serve">Serves one accepted connection: its stream and its peer's name; ends with it.</param>
    /// <param name="metrics">Counts open connections; null means none.</param>
    /// <param name="cancellationToken">Stops accepting; open connections end with it.</param>
    public static async Task ListenAsync(EndPoint endpoint, UnixFileMode socketMode, Action<EndPoint>? listening, Func<NetworkStream, string, CancellationToken, Task> serve, PolicyMetrics? metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(serve);
        using var socket = endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(endpoint);
        if (endpoint is UnixDomainSocketEndPoint && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(endpoint.ToString()!, socketMode);
        }

        socket.Listen(512);
        listening?.Invoke(socket.LocalEndPoint!);
        var connections = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (client.ProtocolType == ProtocolType.Tcp)
                {
                    client.NoDelay = true; // One small write per answer: never held back waiting for an ACK.
                }

                connections.RemoveAll(task => task.IsCompleted);
                connections.Add(Task.Run(() => ServeAcceptedAsync(client, serve, metrics, cancellationToken), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: fall through and let open connections finish their current request.
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private static async Task ServeAcceptedAsync(Socket client, Func<NetworkStream, string, CancellationToken, Task> serve, PolicyMetrics? metrics, CancellationToken cancellationToken)
    {
        using (client)
        await using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            metrics?.ConnectionOpened();
            try
            {
                await serve(stream, client.RemoteEndPoint?.ToString() ?? "unix client", cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down.
            }
            finally
            {
                metrics?.ConnectionClosed();
            }
        }
    }
}
