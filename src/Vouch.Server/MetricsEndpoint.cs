using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vouch.Server;

/// <summary>
/// Serves <see cref="PolicyMetrics"/> at GET /metrics over plain HTTP/1.0 on a loopback port, for Prometheus.
/// One request per connection; anything but GET /metrics is a 404.
/// </summary>
public sealed class MetricsEndpoint(PolicyMetrics metrics)
{
    /// <summary>Listens on <paramref name="endpoint"/> until cancelled; <paramref name="listening"/> gets the bound endpoint.</summary>
    public async Task ListenAsync(IPEndPoint endpoint, Action<EndPoint>? listening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(endpoint);
        socket.Listen(16);
        listening?.Invoke(socket.LocalEndPoint!);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var client = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                await using var stream = new NetworkStream(client);
                await AnswerAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task AnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        var read = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            while (read < buffer.Length && !Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var count = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token).ConfigureAwait(false);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            return;
        }

        var requestLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        var found = requestLine.StartsWith("GET /metrics ", StringComparison.Ordinal) || requestLine == "GET /metrics";
        var body = found ? metrics.Render() : "not found; try /metrics\n";
        var header = $"HTTP/1.0 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n";
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(header + body), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The scraper went away.
        }
    }
}
