using System.Net.Sockets;
using System.Text;
using Vouch.Server;

namespace Vouch.Tests.Server;

public sealed class SyslogLineWriterTests
{
    [Fact]
    public async Task EachLineIsOneMailInfoDatagramTaggedWithTheProcess()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("vouch-syslog-").FullName, "log");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        using var writer = new SyslogLineWriter(path);

        writer.WriteLine("vouch: decision queue_id=Q1 verdict=white");
        var buffer = new byte[4096];
        var received = await listener.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal($"<22>vouch[{Environment.ProcessId}]: vouch: decision queue_id=Q1 verdict=white", Encoding.UTF8.GetString(buffer, 0, received));
        Assert.Equal(0, writer.Dropped);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void WithoutASyslogSocketLinesAreDroppedAndCountedNeverThrown()
    {
        using var writer = new SyslogLineWriter(Path.Combine(Path.GetTempPath(), $"vouch-no-syslog-{Guid.NewGuid():N}"));

        writer.WriteLine("one");
        writer.WriteLine("two");

        Assert.Equal(2, writer.Dropped);
    }
}
