using System.Net;
using Vouch.Audit;
using Vouch.Dns;
using Vouch.Dns.Zones;

namespace Vouch.Tests.Audit;

/// <summary>The audit's proposed records as zone-file lines: read back by a zone parser, they are the records proposed.</summary>
public sealed class ZoneLineTests
{
    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.1 -all")]
    [InlineData("a \"quoted\" \\ back")]
    [InlineData("line\nbreak; $ORIGIN evil.example.\n@ IN A 192.0.2.66")]
    [InlineData("naïve ünïcode")]
    public void ATxtRecordReadFromTheDnsComesBackAsItWasWhateverItHolds(string text)
    {
        var record = new ResourceRecord("owner.example", DnsRecordType.TXT, ZoneLine.Ttl, new TxtRecord([text]));
        var line = ZoneLine.Format(record, "owner.example");

        Assert.DoesNotContain('\n', line);
        var zone = new ZoneData();
        zone.LoadText($"$ORIGIN owner.example.\n{line}\n", "proposed.zone");
        var read = Assert.Single(zone.Records);
        Assert.Equal(("owner.example", DnsRecordType.TXT), (read.Name, read.Type));
        Assert.Equal(text, ((TxtRecord)read.Data).Text);
    }

    [Fact]
    public void NamesUnderTheOriginAreRelativeAndNamesInTheDataAreWhole()
    {
        var origin = "owner.example";
        Assert.Equal("@ 3600 IN MX 90 out1.owner.example.", ZoneLine.Format(new ResourceRecord(origin, DnsRecordType.MX, ZoneLine.Ttl, new MxRecord(90, "out1.owner.example")), origin));
        Assert.Equal("out1 3600 IN A 192.0.2.7", ZoneLine.Format(new ResourceRecord("out1.owner.example", DnsRecordType.A, ZoneLine.Ttl, IPAddress.Parse("192.0.2.7")), origin));
        Assert.Equal("7.2.0.192.in-addr.arpa. 3600 IN PTR out1.owner.example.", ZoneLine.Format(new ResourceRecord("7.2.0.192.in-addr.arpa", DnsRecordType.PTR, ZoneLine.Ttl, "out1.owner.example"), origin));
    }
}
