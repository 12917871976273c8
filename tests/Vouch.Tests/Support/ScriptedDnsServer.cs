using System.Net;
using System.Net.Sockets;

namespace Vouch.Tests.Support;

/// <summary>
/// A DNS server for tests on a free loopback port: for each UDP query it sends the datagrams its script
/// returns (none, several, wrong ones), in order. With TCP on, it also serves the same port over TCP,
/// answering each query with the message the TCP script returns (RFC 1035 §4.2.2 framing), or writing
/// the octets a raw TCP script returns as they are (hostile framing); or it refuses TCP connections.
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

    private ScriptedDnsServer(Socket udp, Socket? tcp, Func<byte[], IEnumerable<byte[]>> udpScript, Func<byte[], byte[]?>? tcpScript)
    {
        this.udp = udp;
        this.tcp = tcp;
        Endpoint = (IPEndPoint)udp.LocalEndPoint!;
        udpLoop = ServeUdpAsync(udpScript);
        tcpLoop = tcp is null || tcpScript is null ? Task.CompletedTask : ServeTcpAsync(tcpScript);
    }

    /// <summary>What a raw TCP script returns to have the connection reset (RST); known by reference, never written.</summary>
    public static byte[] Reset { get; } = [0];

    public IPEndPoint Endpoint { get; }

    public int UdpQueries => Volatile.Read(ref udpQueries);

    public int TcpQueries => Volatile.Read(ref tcpQueries);

    public static ScriptedDnsServer Start(Func<byte[], IEnumerable<byte[]>> udpScript, Func<byte[], byte[]>? tcpScript = null) =>
        tcpScript is null ? Start(udpScript, null, tcp: false) : Start(udpScript, query => Framed(tcpScript(query)), tcp: true);

    /// <summary>Serves TCP with <paramref name="tcpScript"/>'s octets written as they are, then the connection closed; null writes nothing and keeps it open.</summary>
    public static ScriptedDnsServer StartWithRawTcp(Func<byte[], IEnumerable<byte[]>> udpScript, Func<byte[], byte[]?> tcpScript) =>
        Start(udpScript, tcpScript, tcp: true);

    /// <summary>Holds the TCP port bound but not listening, so that a connection to it is refused.</summary>
    public static ScriptedDnsServer StartRefusingTcp(Func<byte[], IEnumerable<byte[]>> udpScript) => Start(udpScript, null, tcp: true);

    /// <summary><paramref name="message"/> after its two-octet length (RFC 1035 §4.2.2).</summary>
    public static byte[] Framed(byte[] message) => [(byte)(message.Length >> 8), (byte)message.Length, .. message];

    private static ScriptedDnsServer Start(Func<byte[], IEnumerable<byte[]>> udpScript, Func<byte[], byte[]?>? tcpScript, bool tcp)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            if (!tcp)
            {
                return new ScriptedDnsServer(udp, null, udpScript, null);
            }

            var stream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                stream.Bind(udp.LocalEndPoint!);
                if (tcpScript is not null)
                {
                    stream.Listen();
                }

                return new ScriptedDnsServer(udp, stream, udpScript, tcpScript);
            }
            catch (SocketException) when (attempt < 20)
            {
                // That TCP port is taken: try another pair.
                stream.Dispose();
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

    private async Task ServeTcpAsync(Func<byte[], byte[]?> script)
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
            var octets = script(query);
            if (ReferenceEquals(octets, Reset))
            {
                // A zero linger time makes the close send RST rather than FIN.
                connection.LingerState = new LingerOption(true, 0);
            }
            else if (octets is not null)
            {
                await stream.WriteAsync(octets, stop.Token);
            }
            else
            {
                // Say nothing and keep the connection open until the server stops.
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
        }
    }
}
