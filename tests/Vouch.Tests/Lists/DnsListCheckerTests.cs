using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Policy;
using Vouch.Tests.Support;

namespace Vouch.Tests.Lists;

public sealed class DnsListCheckerTests
{
    private readonly RecordingLogger<DnsListChecker> logger = new();
    private readonly FakeTimeProvider time = new();

    private DnsListChecker Checker(IDnsResolver? resolver = null, params DnsListDefinition[] lists) =>
        new(resolver ?? DnsListZones.Resolver(), DnsListZones.Options(lists), logger, time);

    private static Task<IReadOnlyList<DnsListResult>> Check(DnsListChecker checker, string client, params string[] domains) =>
        checker.CheckAsync(IPAddress.Parse(client), domains, CancellationToken.None);

    [Fact]
    public async Task A_listed_ipv4_address_is_listed_with_its_answers_and_reason()
    {
        var results = await Check(Checker(null, DnsListZones.Zen), "203.0.113.7");

        var result = Assert.Single(results);
        Assert.Same(DnsListZones.Zen, result.List);
        Assert.Equal("203.0.113.7", result.Subject);
        Assert.Equal("7.113.0.203.dnsbl.example", result.QueryName);
        Assert.Equal(DnsListOutcome.Listed, result.Outcome);
        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.4")], result.Answers);
        Assert.Equal("Listed for spam, see https://dnsbl.example/q?203.0.113.7", result.Text);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task A_listed_ipv6_address_is_queried_by_reversed_nibbles()
    {
        var results = await Check(Checker(null, DnsListZones.Zen), "2001:db8::1");

        var result = Assert.Single(results);

        // RFC 5782 §2.4: 32 nibbles, least significant first.
        Assert.Equal("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.dnsbl.example", result.QueryName);
        Assert.Equal(DnsListOutcome.Listed, result.Outcome);
        Assert.Equal([IPAddress.Parse("127.0.0.3")], result.Answers);
        Assert.Null(result.Text);
    }

    [Fact]
    public async Task An_ipv4_mapped_client_is_queried_as_ipv4()
    {
        var result = Assert.Single(await Check(Checker(null, DnsListZones.Zen), "::ffff:203.0.113.7"));

        Assert.Equal("203.0.113.7", result.Subject);
        Assert.Equal("7.113.0.203.dnsbl.example", result.QueryName);
        Assert.Equal(DnsListOutcome.Listed, result.Outcome);
    }

    [Fact]
    public async Task An_unlisted_address_is_nxdomain_and_not_listed()
    {
        var result = Assert.Single(await Check(Checker(null, DnsListZones.Zen), "198.51.100.1"));

        Assert.Equal(DnsListOutcome.NotListed, result.Outcome);
        Assert.Empty(result.Answers);
        Assert.Null(result.Text);
    }

    [Fact]
    public async Task An_error_code_is_an_error_never_a_listing_and_is_logged_once_per_interval()
    {
        var checker = Checker(null, DnsListZones.Zen);

        var result = Assert.Single(await Check(checker, "203.0.113.9"));
        await Check(checker, "203.0.113.9");

        Assert.Equal(DnsListOutcome.Error, result.Outcome);
        Assert.Equal([IPAddress.Parse("127.255.255.254")], result.Answers);
        Assert.Null(result.Text);
        var warning = Assert.Single(logger.At(LogLevel.Warning));
        Assert.StartsWith("query refused by list zen: 127.255.255.254", warning.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(15));
        await Check(checker, "203.0.113.9");
        Assert.Equal(2, logger.At(LogLevel.Warning).Count);
    }

    [Fact]
    public async Task An_answer_outside_both_ranges_is_not_listed_but_logged()
    {
        var result = Assert.Single(await Check(Checker(null, DnsListZones.Zen), "203.0.113.11"));

        Assert.Equal(DnsListOutcome.NotListed, result.Outcome);
        Assert.Equal([IPAddress.Parse("192.0.2.99")], result.Answers);
        var warning = Assert.Single(logger.At(LogLevel.Warning));
        Assert.Contains("192.0.2.99", warning.Message, StringComparison.Ordinal);
        Assert.Equal("zen", warning.Values["List"]);
    }

    [Theory]
    [InlineData(DnsStatus.ServerFailure)]
    [InlineData(DnsStatus.Timeout)]
    public async Task A_server_failure_or_timeout_is_a_temporary_failure(DnsStatus failure)
    {
        var resolver = DnsListZones.Resolver(data => data.InjectFailure("7.113.0.203.dnsbl.example", failure));

        var result = Assert.Single(await Check(Checker(resolver, DnsListZones.Zen), "203.0.113.7"));

        Assert.Equal(DnsListOutcome.TempFailure, result.Outcome);
        Assert.Empty(result.Answers);
    }

    [Fact]
    public async Task A_listing_without_a_readable_reason_is_still_a_listing()
    {
        var resolver = DnsListZones.Resolver(data => data.InjectFailure("7.113.0.203.dnsbl.example", DnsStatus.ServerFailure, DnsRecordType.TXT));

        var result = Assert.Single(await Check(Checker(resolver, DnsListZones.Zen), "203.0.113.7"));

        Assert.Equal(DnsListOutcome.Listed, result.Outcome);
        Assert.Null(result.Text);
    }

    [Fact]
    public async Task The_reason_loses_control_characters()
    {
        var zone = new TestZone()
            .A("5.113.0.203.dnsbl.example", "127.0.0.2")
            .Txt("5.113.0.203.dnsbl.example", "spam\r\n550 injected", "\t ");

        var result = Assert.Single(await Check(Checker(zone.Resolver(), DnsListZones.Zen), "203.0.113.5"));

        Assert.Equal("spam  550 injected", result.Text);
    }

    [Fact]
    public async Task A_listed_domain_is_found_under_its_own_name()
    {
        var results = await Check(Checker(null, DnsListZones.Dbl), "192.0.2.1", "Spammer.Example.", "good.example");

        Assert.Collection(
            results,
            listed =>
            {
                Assert.Equal("spammer.example", listed.Subject);
                Assert.Equal("spammer.example.dbl.example", listed.QueryName);
                Assert.Equal(DnsListOutcome.Listed, listed.Outcome);
                Assert.Equal("spam domain", listed.Text);
            },
            clean =>
            {
                Assert.Equal("good.example", clean.Subject);
                Assert.Equal(DnsListOutcome.NotListed, clean.Outcome);
            });
    }

    [Fact]
    public async Task Domains_are_queried_once_each_and_unqueryable_names_are_skipped()
    {
        var resolver = new SwitchableResolver(DnsListZones.Resolver());
        var tooLong = string.Join('.', Enumerable.Repeat(new string('a', 60), 4));
        Assert.True(tooLong.Length <= DnsName.MaxLength);

        var results = await Check(Checker(resolver, DnsListZones.Dbl), "192.0.2.1", "spammer.example", "SPAMMER.example.", "", "[192.0.2.1]", tooLong, "bad..label");

        Assert.Equal(["spammer.example.dbl.example"], resolver.AddressQuestions);
        Assert.Single(results);
    }

    [Fact]
    public async Task Every_list_is_asked_at_once()
    {
        // One address list for the client, one domain list for each of two domains: three questions in flight together.
        var gated = new GatedResolver(DnsListZones.Resolver(), 3);

        var results = await Check(Checker(gated), "203.0.113.7", "spammer.example", "good.example");

        Assert.True(gated.SawConcurrentLookups);
        Assert.Equal([DnsListOutcome.Listed, DnsListOutcome.Listed, DnsListOutcome.NotListed], results.Select(r => r.Outcome));
        Assert.Equal(["zen", "dbl", "dbl"], results.Select(r => r.List.Name));
    }

    [Fact]
    public async Task Without_lists_nothing_is_asked()
    {
        var resolver = new SwitchableResolver(DnsListZones.Resolver());
        var checker = new DnsListChecker(resolver, new ListOptions());

        Assert.Empty(await checker.CheckAsync(IPAddress.Parse("203.0.113.7"), ["spammer.example"], CancellationToken.None));
        Assert.Empty(resolver.AddressQuestions);
    }

    [Fact]
    public async Task A_cancelled_check_throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Checker().CheckAsync(IPAddress.Parse("203.0.113.7"), [], cancelled.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_self_test_interval_that_is_not_positive_is_refused(int minutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DnsListChecker(DnsListZones.Resolver(), new ListOptions { SelfTestInterval = TimeSpan.FromMinutes(minutes) }));

    [Fact]
    public void A_list_without_a_valid_zone_is_refused()
    {
        var bad = DnsListZones.Zen with { Zone = "" };

        var error = Assert.Throws<ArgumentException>(() => new DnsListChecker(DnsListZones.Resolver(), new ListOptions { DnsLists = [bad] }));
        Assert.Contains("zen", error.Message, StringComparison.Ordinal);
    }
}
