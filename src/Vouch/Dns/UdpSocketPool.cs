using System.Net;

namespace Vouch.Dns;

/// <summary>
/// The UDP sockets kept open to one DNS server: a few, so that one socket's receive loop and ID space
/// are not the only ones, and replies spread over several kernel buffers. Queries take them in turn.
/// </summary>
internal sealed class UdpSocketPool : IAsyncDisposable
{
    private readonly UdpSocketChannel[] channels;
    private int next;

    /// <summary>Opens <paramref name="size"/> sockets to <paramref name="server"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">A socket cannot be opened, bound or connected.</exception>
    public UdpSocketPool(IPEndPoint server, int size, int receiveBufferSize)
    {
        channels = new UdpSocketChannel[size];
        try
        {
            for (var i = 0; i < size; i++)
            {
                channels[i] = new UdpSocketChannel(server, receiveBufferSize);
            }
        }
        catch
        {
            foreach (var channel in channels)
            {
                channel?.Close("the resolver is closed");
            }

            throw;
        }
    }

    /// <summary>The queries waiting for a reply on these sockets now.</summary>
    public int PendingCount
    {
        get
        {
            var count = 0;
            foreach (var channel in channels)
            {
                count += channel.PendingCount;
            }

            return count;
        }
    }

    /// <inheritdoc cref="UdpSocketChannel.ExchangeAsync"/>
    public Task<DnsReply?> ExchangeAsync(Memory<byte> query, int questionLength, int attempts, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var index = (int)((uint)Interlocked.Increment(ref next) % (uint)channels.Length);
        return channels[index].ExchangeAsync(query, questionLength, attempts, timeout, cancellationToken);
    }

    /// <summary>Closes every socket without waiting for the receive loops.</summary>
    public void Close()
    {
        foreach (var channel in channels)
        {
            channel.Close("the resolver is closed");
        }
    }

    /// <summary>Closes every socket and waits for the receive loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var channel in channels)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}
