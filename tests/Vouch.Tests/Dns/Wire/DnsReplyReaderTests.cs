using System.Net;
using Vouch.Dns;
using Vouch.Dns.Wire;
using Vouch.Tests.Support;

namespace Vouch.Tests.Dns.Wire;

/// <summary>The reader of UDP replies: what it takes from a well-formed reply, and that damage never throws.</summary>
public sealed class DnsReplyReaderTests
{
    private static byte[] Query(string name, int type)
    {
        var query = new byte[DnsQueryWriter.MaxQueryLength];
        Assert.True(DnsQueryWriter.TryWrite(query, name, (ushort)type, 1232, out var length, out _, out var problem), problem);
        return query[..length];
    }

    private static byte[] SampleReply()
    {
        var query = Query("Alias.Example.TEST", 16);
        var soa = new DnsMessageBuilder().Raw(0xC0, 0x0C).Raw(DnsMessageBuilder.Name("host.example.test")).UInt32(1).UInt32(3600).UInt32(600).UInt32(86400).UInt32(45).ToArray();
        return DnsMessageBuilder.ReplyTo(query, answers: 4, authorities: 1)
            .Record([0xC0, 0x0C], 5, 300, [6, .. "target"u8, 0xC0, 18])
            .Record([6, .. "target"u8, 0xC0, 18], 16, 200, DnsMessageBuilder.Txt("v=spf1 ", "-all", "caf\u00e9"))
            .Record([6, .. "target"u8, 0xC0, 18], 15, 100, [0, 10, 2, .. "mx"u8, 0xC0, 18])
            .Record([4, (byte)'b', (byte)';', 0x01, (byte)'X', 0xC0, 18], 1, 50, [192, 0, 2, 1])
            .Record([0xC0, 18], 6, 30, soa)
            .ToArray();
    }

    [Fact]
    public void AWellFormedReplyGivesItsRecordsNamesAndNegativeTtl()
    {
        var reply = DnsReplyReader.Read(SampleReply());

        Assert.Null(reply.Problem);
        Assert.Equal(0, reply.ResponseCode);
        Assert.Equal(TimeSpan.FromSeconds(30), reply.NegativeTtl);
        Assert.Collection(
            reply.Answers,
            cname => Assert.Equal(("alias.example.test", DnsRecordType.CNAME, (object)"target.example.test"), (cname.Owner, cname.Type, cname.Data)),
            txt => Assert.Equal(["v=spf1 ", "-all", "caf\u00e9"], ((TxtRecord)txt.Data!).Strings),
            mx => Assert.Equal(new MxRecord(10, "mx.example.test"), mx.Data),
            a => Assert.Equal(("b\\;\\001x.example.test", (object)IPAddress.Parse("192.0.2.1")), (a.Owner, a.Data)));
    }

    [Fact]
    public void DamagedRepliesNeverThrow()
    {
        var sample = SampleReply();
        var random = new Random(7208);
        for (var i = 0; i < 50_000; i++)
        {
            var damaged = sample[..random.Next(sample.Length + 1)];
            for (var flips = random.Next(1, 4); flips > 0 && damaged.Length > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            var reply = DnsReplyReader.Read(damaged);

            Assert.True(reply.Problem is not null || reply.Truncated || reply.Answers.Count <= 4);
        }
    }
}
