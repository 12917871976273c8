using System.Net;
using System.Net.Sockets;

namespace Vouch.Tests.Support;

/// <summary>
/// A DNS server for tests on a free loopback port: for each UDP query it sends the datagrams its script
/// returns (none, several, wrong ones), in order. With TCP on, it also serves the same port over TCP,
/// answering each query with the first message the TCP script returns (RFC 1035 §4.2.2 framing).
/// </summary>
internal sealed class ScriptedDnsServer : IAsyncDisposable
{
    private readonly Socket udp;
    private readonly Socket? tcp;
    private readonly CancellationTokenSource stop = new();
    private readonly Task udpLoop;
    private readonly Task tcpLoop;
    private int udpQueries;
    private int tcpQueries;

    private ScriptedDnsServer(Socket udp, Socket? tcp, Func<byte[], IEnumerable<byte[]>> udpScript, Func<byte[], byte[]>? tcpScript)
    {
        this.udp = udp;
        this.tcp = tcp;
        Endpoint = (IPEndPoint)udp.LocalEndPoint!;
        udpLoop = ServeUdpAsync(udpScript);
        tcpLoop = tcp is null || tcpScript is null ? Task.CompletedTask : ServeTcpAsync(tcpScript);
    }

    public IPEndPoint Endpoint { get; }

    public int UdpQueries => Volatile.Read(ref udpQueries);

    public int TcpQueries => Volatile.Read(ref tcpQueries);

    public static ScriptedDnsServer Start(Func<byte[], IEnumerable<byte[]>> udpScript, Func<byte[], byte[]>? tcpScript = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            if (tcpScript is null)
            {
                return new ScriptedDnsServer(udp, null, udpScript, null);
            }

            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(udp.LocalEndPoint!);
                tcp.Listen();
                return new ScriptedDnsServer(udp, tcp, udpScript, tcpScript);
            }
            catch (SocketException) when (attempt < 20)
            {
                // That TCP port is taken: try another pair.
                tcp.Dispose();
                udp.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        udp.Dispose();
        tcp?.Dispose();
        try
        {
            await Task.WhenAll(udpLoop, tcpLoop);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private async Task ServeUdpAsync(Func<byte[], IEnumerable<byte[]>> script)
    {
        var buffer = new byte[65535];
        while (!stop.IsCancellationRequested)
        {
            var received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
            Interlocked.Increment(ref udpQueries);
            var query = buffer[..received.ReceivedBytes];
            foreach (var reply in script(query))
            {
                await udp.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, stop.Token);
            }
        }
    }

    private async Task ServeTcpAsync(Func<byte[], byte[]> script)
    {
        while (!stop.IsCancellationRequested)
        {
            using var connection = await tcp!.AcceptAsync(stop.Token);
            using var stream = new NetworkStream(connection);
            var length = new byte[2];
            await stream.ReadExactlyAsync(length, stop.Token);
            var query = new byte[(length[0] << 8) | length[1]];
            await stream.ReadExactlyAsync(query, stop.Token);
            Interlocked.Increment(ref tcpQueries);
            var reply = script(query);
            await stream.WriteAsync(new[] { (byte)(reply.Length >> 8), (byte)reply.Length }, stop.Token);
            await stream.WriteAsync(reply, stop.Token);
        }
    }
}
