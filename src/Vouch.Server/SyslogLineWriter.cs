using System.Net.Sockets;
using System.Text;

namespace Vouch.Server;

/// <summary>
/// Log lines to the local syslog socket (<c>/dev/log</c>, read by journald or rsyslog), one datagram each,
/// facility mail and severity info: <c>&lt;22&gt;vouch[PID]: line</c> (RFC 3164 §4.1, as syslog(3) writes it).
/// For <c>vouch serve --stdio</c>: Postfix's spawn(8) connects the command's standard error to the SMTP
/// server's socket too, so a log line there would be read as a policy answer. Without a syslog socket the
/// lines are dropped (and counted), never sent to the peer.
/// </summary>
public sealed class SyslogLineWriter : TextWriter
{
    /// <summary>Where syslog(3) sends on Linux.</summary>
    public const string DefaultPath = "/dev/log";

    private const int MaxDatagram = 2048;

    private readonly Lock gate = new();
    private readonly string path;
    private readonly string prefix;
    private Socket? socket;
    private long dropped;

    /// <summary>Writes to the syslog socket at <paramref name="path"/>, tagging each line with <paramref name="tag"/> and this process's id.</summary>
    public SyslogLineWriter(string path = DefaultPath, string tag = "vouch")
    {
        this.path = path ?? throw new ArgumentNullException(nameof(path));
        prefix = $"<22>{tag}[{Environment.ProcessId}]: ";
    }

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Lines dropped because no syslog socket took them.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix + (value ?? ""));
        lock (gate)
        {
            try
            {
                socket ??= Connect();
                socket.Send(bytes.AsSpan(0, Math.Min(bytes.Length, MaxDatagram)));
            }
            catch (SocketException)
            {
                // No syslog here, or it went away: try again with the next line.
                socket?.Dispose();
                socket = null;
                Interlocked.Increment(ref dropped);
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value) => WriteLine(value);

    /// <inheritdoc/>
    public override void Write(char value) => WriteLine(value.ToString());

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (gate)
            {
                socket?.Dispose();
                socket = null;
            }
        }

        base.Dispose(disposing);
    }

    private Socket Connect()
    {
        var connected = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            connected.Connect(new UnixDomainSocketEndPoint(path));
            return connected;
        }
        catch
        {
            connected.Dispose();
            throw;
        }
    }
}
