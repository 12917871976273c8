using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Configuration;

namespace Vouch.Server;

/// <summary>
/// The Postfix policy delegation service (SMTPD_POLICY_README): many requests per connection, many
/// connections at once, over TCP, a UNIX socket, or a pair of streams (stdin/stdout for Postfix's spawn).
/// A malformed or oversized request, or a connection idle too long, closes that connection only.
/// </summary>
/// <param name="answerer">Answers each request: a <see cref="PolicyResponder"/>, or a <see cref="PolicyServiceHost"/>, whose reloads take effect from the next request on every connection.</param>
/// <param name="options">Connection settings (idle timeout, request size, socket mode); null means the defaults.</param>
/// <param name="log">Where connection problems are logged; null means nowhere.</param>
/// <param name="metrics">Counts open connections; null means none.</param>
public sealed class PolicyServer(IPolicyAnswerer answerer, PolicyServerOptions? options = null, TextWriter? log = null, PolicyMetrics? metrics = null)
{
    private readonly IPolicyAnswerer answerer = answerer ?? throw new ArgumentNullException(nameof(answerer));
    private readonly PolicyServerOptions options = options ?? new PolicyServerOptions();
    private readonly TextWriter log = log ?? TextWriter.Null;

    private static ReadOnlySpan<byte> ActionPrefix => "action="u8;

    /// <summary>Answers requests from <paramref name="input"/> on <paramref name="output"/> until the peer closes, breaks the protocol, idles out, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ServeConnectionAsync(Stream input, Stream output, string peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var reader = new PolicyRequestReader(input, options.MaxRequestBytes);

        // One idle timer per connection, re-armed for each request (TryReset), and one buffer for the answers.
        var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answer = new byte[256];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                PolicyRequest? request;
                idle.CancelAfter(options.IdleTimeout);
                try
                {
                    request = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await log.WriteLineAsync($"vouch: {peer}: idle for {options.IdleTimeout.TotalSeconds:0} s, connection closed").ConfigureAwait(false);
                    return;
                }
                catch (PolicyProtocolException exception)
                {
                    await log.WriteLineAsync($"vouch: {peer}: {exception.Message}; connection closed").ConfigureAwait(false);
                    return;
                }
                catch (IOException)
                {
                    return;
                }

                if (!idle.TryReset())
                {
                    // The timer fired just after the request was read: that request is answered, the next one waits afresh.
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }

                if (request is null)
                {
                    return;
                }

                var action = await answerer.AnswerAsync(request, cancellationToken).ConfigureAwait(false);
                try
                {
                    var length = Encode(action, ref answer);
                    await output.WriteAsync(answer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    return;
                }
            }
        }
        finally
        {
            idle.Dispose();
        }
    }

    /// <summary>"action=" <paramref name="action"/> and the empty line that ends the answer, as UTF-8 in <paramref name="buffer"/> (grown when short); returns the length.</summary>
    private static int Encode(string action, ref byte[] buffer)
    {
        var needed = ActionPrefix.Length + Encoding.UTF8.GetMaxByteCount(action.Length) + 2;
        if (buffer.Length < needed)
        {
            buffer = new byte[Math.Max(needed, 2 * buffer.Length)];
        }

        ActionPrefix.CopyTo(buffer);
        var length = ActionPrefix.Length + Encoding.UTF8.GetBytes(action, buffer.AsSpan(ActionPrefix.Length));
        buffer[length++] = (byte)'\n';
        buffer[length++] = (byte)'\n';
        return length;
    }

    /// <summary>Listens on <paramref name="endpoint"/> (an <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/>) until cancelled.</summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="listening">Called with the bound endpoint once the socket listens.</param>
    /// <param name="cancellationToken">Stops accepting; open connections end with it.</param>
    public Task ListenAsync(EndPoint endpoint, Action<EndPoint>? listening, CancellationToken cancellationToken) =>
        StreamListener.ListenAsync(endpoint, options.SocketMode, listening, (stream, peer, stopping) => ServeConnectionAsync(stream, stream, peer, stopping), metrics, cancellationToken);
}
