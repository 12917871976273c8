using System.Net;
using System.Net.Sockets;
using Vouch.Configuration;

namespace Vouch.Server.Milter;

/// <summary>
/// The milter service: one MTA connection per SMTP session (Postfix never reuses one), many at once, over TCP or
/// a UNIX socket. A malformed or oversized packet, a connection silent past the idle timeout, or a transaction
/// past its time closes that connection only, with a log line; the MTA then applies its default action.
/// </summary>
/// <param name="judge">Decides each message: a <see cref="MilterResponder"/> or the service host.</param>
/// <param name="settings">The settings each new connection runs with (the live configuration's, after a reload).</param>
/// <param name="log">Where connection problems are logged; null means nowhere.</param>
/// <param name="metrics">Counts open connections; null means none.</param>
/// <param name="timeProvider">The clock for timeouts and progress packets; null means the system's.</param>
public sealed class MilterServer(IMilterJudge judge, Func<(MilterOptions Options, string AuthservId)> settings, TextWriter? log = null, PolicyMetrics? metrics = null, TimeProvider? timeProvider = null)
{
    private readonly IMilterJudge judge = judge ?? throw new ArgumentNullException(nameof(judge));
    private readonly Func<(MilterOptions Options, string AuthservId)> settings = settings ?? throw new ArgumentNullException(nameof(settings));
    private readonly TextWriter log = log ?? TextWriter.Null;
    private readonly TimeProvider timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Serves one MTA connection until it quits, breaks the protocol, times out, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task ServeConnectionAsync(Stream stream, string peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (options, authservId) = settings();
        var reader = new MilterPacketReader(stream, options.MaxPacketBytes);
        var writer = new MilterPacketWriter(stream);
        var session = new MilterSession(judge, options, authservId, timeProvider, log, metrics);
        // One timer per connection on the service's clock, re-armed for each packet; the service's stop reaches it too.
        var timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        var stopping = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timer);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var transactionLeft = session.TransactionAge is { } age ? options.TransactionTimeout - age : TimeSpan.MaxValue;
                var endsTransaction = transactionLeft < options.IdleTimeout;
                MilterPacket? packet = null;
                try
                {
                    if (transactionLeft > TimeSpan.Zero)
                    {
                        timer.CancelAfter(endsTransaction ? transactionLeft : options.IdleTimeout);
                        packet = await reader.ReadAsync(timer.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Timed out (below).
                }
                catch (MilterProtocolException exception)
                {
                    await log.WriteLineAsync($"vouch: milter {peer}: {exception.Message}; connection closed").ConfigureAwait(false);
                    return;
                }
                catch (IOException)
                {
                    return;
                }

                if (transactionLeft <= TimeSpan.Zero || (packet is null && timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
                {
                    await log.WriteLineAsync(endsTransaction
                        ? $"vouch: milter {peer}: a transaction open for over {options.TransactionTimeout.TotalSeconds:0} s, connection closed"
                        : $"vouch: milter {peer}: silent for {options.IdleTimeout.TotalSeconds:0} s, connection closed").ConfigureAwait(false);
                    return;
                }

                if (packet is null)
                {
                    return; // The MTA closed the connection.
                }

                if (!timer.TryReset())
                {
                    // The timer fired just after the packet was read: the packet is handled, the next read waits afresh.
                    await stopping.DisposeAsync().ConfigureAwait(false);
                    timer.Dispose();
                    timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
                    stopping = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timer);
                }

                try
                {
                    if (!await session.HandleAsync(packet.Value, writer, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (MilterProtocolException exception)
                {
                    await log.WriteLineAsync($"vouch: milter {peer}: {exception.Message}; connection closed").ConfigureAwait(false);
                    return;
                }
                catch (IOException)
                {
                    return;
                }
            }
        }
        finally
        {
            await stopping.DisposeAsync().ConfigureAwait(false);
            timer.Dispose();
        }
    }

    /// <summary>Listens on <paramref name="endpoint"/> (an <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/>) until cancelled; open connections finish their current packet.</summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="socketMode">The permissions of a UNIX socket.</param>
    /// <param name="listening">Called with the bound endpoint once the socket listens.</param>
    /// <param name="cancellationToken">Stops the service.</param>
    public Task ListenAsync(EndPoint endpoint, UnixFileMode socketMode, Action<EndPoint>? listening, CancellationToken cancellationToken) =>
        StreamListener.ListenAsync(endpoint, socketMode, listening, ServeGuardedAsync, metrics, cancellationToken);

    private async Task ServeGuardedAsync(Stream stream, string peer, CancellationToken cancellationToken)
    {
        try
        {
            await ServeConnectionAsync(stream, peer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug in one connection ends that connection, never the service.
            await log.WriteLineAsync($"vouch: milter {peer}: {exception.GetType().Name}: {exception.Message}; connection closed").ConfigureAwait(false);
        }
    }
}
