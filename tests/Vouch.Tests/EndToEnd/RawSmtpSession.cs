using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// An SMTP session typed line by line, for what swaks will not send: no HELO at all. Connects from a chosen
/// loopback source address; each command returns the server's whole reply (multi-line replies joined).
/// </summary>
internal sealed class RawSmtpSession : IAsyncDisposable
{
    private readonly TcpClient client;
    private readonly StreamReader reader;
    private readonly StreamWriter writer;

    private RawSmtpSession(TcpClient client)
    {
        this.client = client;
        var stream = client.GetStream();
        reader = new StreamReader(stream, Encoding.ASCII);
        writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
    }

    /// <summary>The 220 greeting.</summary>
    public string Greeting { get; private set; } = "";

    public static async Task<RawSmtpSession> ConnectAsync(string source, int port)
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(source), 0));
        await client.ConnectAsync(IPAddress.Loopback, port);
        var session = new RawSmtpSession(client);
        session.Greeting = await session.ReadReplyAsync();
        return session;
    }

    /// <summary>Sends <paramref name="command"/> and returns the reply.</summary>
    public async Task<string> SendAsync(string command)
    {
        await writer.WriteLineAsync(command);
        return await ReadReplyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await writer.WriteLineAsync("QUIT");
        }
        catch (IOException)
        {
            // Already closed by the server.
        }

        client.Dispose();
    }

    private async Task<string> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var reply = new StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            reply.Append(reply.Length > 0 ? "\n" : "").Append(line);
            if (line.Length < 4 || line[3] != '-')
            {
                break;
            }
        }

        return reply.ToString();
    }
}
