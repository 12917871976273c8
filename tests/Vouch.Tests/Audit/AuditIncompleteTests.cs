using System.Net;
using Vouch.Audit;
using Vouch.Checks;
using Vouch.Cli.Audit;
using Vouch.Dns;
using Vouch.Tests.Support;

namespace Vouch.Tests.Audit;

public sealed class AuditIncompleteTests
{
    [Fact]
    public async Task DnsTroubleIsATestErrorNeverAMissingRecordAndTheAuditExitsThree()
    {
        var zone = new TestZone()
            .Fail("owner.example", DnsStatus.ServerFailure)
            .Fail("out.owner.example", DnsStatus.Timeout)
            .Fail("10.2.0.192.in-addr.arpa", DnsStatus.ServerFailure);
        var auditor = new DomainAuditor(new SenderChecker(zone.Resolver(), TestSuffixes.List));

        var report = await auditor.AuditAsync(new AuditRequest("owner.example", [IPAddress.Parse("192.0.2.10")], ["out.owner.example"], []), CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Id == "DNS-TEMPERROR" && f.Subject == "owner.example");
        Assert.Contains(report.Findings, f => f.Id == "DNS-TEMPERROR" && f.Subject == "192.0.2.10");
        Assert.All(report.Findings, f => Assert.Equal(FindingSeverity.TestError, f.Severity));
        Assert.DoesNotContain(report.Findings, f => f.Id is "PTR-NONE" or "SPF-HELO-NONE" or "SERVER-NOT-WHITE");
        Assert.Equal(3, AuditExit.Of(report, AuditExit.FailOn.Error));
        Assert.Equal(3, AuditExit.Of(report, AuditExit.FailOn.Never));
    }

    [Fact]
    public async Task AnErrorBesideDnsTroubleExitsOneUnlessNothingFails()
    {
        var zone = new TestZone()
            .Txt("owner.example", "v=spf1 -all")
            .Fail("10.2.0.192.in-addr.arpa", DnsStatus.ServerFailure);
        var auditor = new DomainAuditor(new SenderChecker(zone.Resolver(), TestSuffixes.List));

        var report = await auditor.AuditAsync(new AuditRequest("owner.example", [IPAddress.Parse("192.0.2.10")], ["[192.0.2.10]"], []), CancellationToken.None);

        Assert.Contains(report.Findings, f => f.Id == "SERVER-NOT-WHITE");
        Assert.Contains(report.Findings, f => f.Id == "DNS-TEMPERROR");
        Assert.Equal(1, AuditExit.Of(report, AuditExit.FailOn.Error));
        Assert.Equal(3, AuditExit.Of(report, AuditExit.FailOn.Never));
    }
}
