using System.Net;
using System.Net.Sockets;
using Vouch.Dns;
using Vouch.Dns.Zones;
using Xunit;

namespace Vouch.Tests.Dns.Zones;

public sealed class ZoneResolverTests
{
    // SOA TTL 1 day, MINIMUM 300 s: the negative TTL is the lesser, 300 s (RFC 2308 §5).
    private const string ExampleZone = """
        $TTL 3600
        @        86400 SOA ns1 hostmaster 1 2h 15m 1w 300
        @              MX  10 mail
        @              MX  20 backup.example.net.
        @              TXT "v=spf1 " "mx -all"
        mail       600 A   192.0.2.25
        mail           A   192.0.2.26
        mail           AAAA 2001:db8::25
        a.b.deep       A   192.0.2.30
        alias      60  CNAME mail
        alias2         CNAME alias
        dangling       CNAME nowhere
        loop1          CNAME loop2
        loop2          CNAME loop1
        """;

    private static ZoneResolver Resolver(Action<ZoneData>? arrange = null, string text = ExampleZone, string origin = "example.com")
    {
        var data = new ZoneData();
        data.LoadText(text, "example.zone", origin);
        arrange?.Invoke(data);
        return new ZoneResolver(data);
    }

    private static DnsAnswer<IPAddress> LookupA(ZoneResolver resolver, string name) =>
        resolver.LookupAddressesAsync(name, AddressFamily.InterNetwork, CancellationToken.None).AsTask().Result;

    [Fact]
    public async Task Txt_lookup_returns_the_records_with_their_strings()
    {
        var answer = await Resolver().LookupTxtAsync("example.com", CancellationToken.None);

        Assert.Equal(DnsStatus.Records, answer.Status);
        var txt = Assert.Single(answer.Records);
        Assert.Equal(["v=spf1 ", "mx -all"], txt.Strings);
        Assert.Equal(TimeSpan.FromHours(1), answer.TimeToLive);
        Assert.Null(answer.Problem);
    }

    [Fact]
    public async Task Address_lookups_return_a_or_aaaa_and_the_smallest_ttl()
    {
        var resolver = Resolver();

        var v4 = await resolver.LookupAddressesAsync("mail.example.com", AddressFamily.InterNetwork, CancellationToken.None);
        var v6 = await resolver.LookupAddressesAsync("mail.example.com", AddressFamily.InterNetworkV6, CancellationToken.None);

        Assert.Equal([IPAddress.Parse("192.0.2.25"), IPAddress.Parse("192.0.2.26")], v4.Records);
        Assert.Equal(TimeSpan.FromSeconds(600), v4.TimeToLive);
        Assert.Equal([IPAddress.Parse("2001:db8::25")], v6.Records);
    }

    [Fact]
    public async Task Mx_lookup_returns_every_exchange()
    {
        var answer = await Resolver().LookupMxAsync("example.com", CancellationToken.None);

        Assert.Equal([new MxRecord(10, "mail.example.com"), new MxRecord(20, "backup.example.net")], answer.Records);
    }

    [Fact]
    public void Names_are_matched_without_case_and_trailing_dot()
    {
        var answer = LookupA(Resolver(), "MAIL.Example.COM.");

        Assert.Equal(DnsStatus.Records, answer.Status);
        Assert.Equal(2, answer.Records.Count);
    }

    [Fact]
    public async Task Existing_name_without_the_type_is_nodata_with_the_soa_negative_ttl()
    {
        var answer = await Resolver().LookupTxtAsync("mail.example.com", CancellationToken.None);

        Assert.Equal(DnsStatus.NoData, answer.Status);
        Assert.Empty(answer.Records);
        Assert.Equal(TimeSpan.FromSeconds(300), answer.TimeToLive);
    }

    [Fact]
    public void Missing_name_is_nxdomain_with_the_soa_negative_ttl()
    {
        var answer = LookupA(Resolver(), "nothing.example.com");

        Assert.Equal(DnsStatus.NoSuchDomain, answer.Status);
        Assert.Empty(answer.Records);
        Assert.Equal(TimeSpan.FromSeconds(300), answer.TimeToLive);
    }

    [Fact]
    public void Negative_ttl_is_the_soa_ttl_when_that_is_below_the_minimum()
    {
        var answer = LookupA(Resolver(text: "@ 120 SOA ns1 host 1 2 3 4 3600\n"), "x.example.com");

        Assert.Equal(TimeSpan.FromSeconds(120), answer.TimeToLive);
    }

    [Fact]
    public void Negative_ttl_comes_from_the_closest_enclosing_zone()
    {
        const string text = """
            @ 600 SOA ns1 host 1 2 3 4 600
            $ORIGIN sub.example.com.
            @ 60 SOA ns1 host 1 2 3 4 60
            """;
        var resolver = Resolver(text: text);

        Assert.Equal(TimeSpan.FromSeconds(60), LookupA(resolver, "x.sub.example.com").TimeToLive);
        Assert.Equal(TimeSpan.FromSeconds(600), LookupA(resolver, "x.example.com").TimeToLive);
    }

    [Fact]
    public void Negative_ttl_for_a_single_label_name_comes_from_the_root_zone()
    {
        var resolver = Resolver(text: ". 86400 SOA ns1.example. host.example. 1 2 3 4 900\n", origin: ".");

        var answer = LookupA(resolver, "localhost");

        Assert.Equal(DnsStatus.NoSuchDomain, answer.Status);
        Assert.Equal(TimeSpan.FromSeconds(900), answer.TimeToLive);
    }

    [Fact]
    public void Negative_ttl_without_an_soa_is_five_minutes()
    {
        var answer = LookupA(Resolver(text: "www A 192.0.2.1\n"), "other.example.com");

        Assert.Equal(DnsStatus.NoSuchDomain, answer.Status);
        Assert.Equal(TimeSpan.FromMinutes(5), answer.TimeToLive);
    }

    [Fact]
    public void Empty_non_terminal_is_nodata()
    {
        var resolver = Resolver();

        Assert.Equal(DnsStatus.NoData, LookupA(resolver, "b.deep.example.com").Status);
        Assert.Equal(DnsStatus.NoData, LookupA(resolver, "deep.example.com").Status);
        Assert.Equal(DnsStatus.Records, LookupA(resolver, "a.b.deep.example.com").Status);
        Assert.Equal(DnsStatus.NoSuchDomain, LookupA(resolver, "c.deep.example.com").Status);
    }

    [Fact]
    public void Zone_origin_without_records_is_nodata()
    {
        var resolver = Resolver(text: "www A 192.0.2.1\n", origin: "empty.example");

        Assert.Equal(DnsStatus.NoData, LookupA(resolver, "empty.example").Status);
    }

    [Fact]
    public void Cname_is_followed_to_the_target_records()
    {
        var answer = LookupA(Resolver(), "alias2.example.com");

        Assert.Equal(DnsStatus.Records, answer.Status);
        Assert.Equal([IPAddress.Parse("192.0.2.25"), IPAddress.Parse("192.0.2.26")], answer.Records);
    }

    [Fact]
    public void Cname_chain_answer_names_the_owner_of_the_records()
    {
        var chain = LookupA(Resolver(), "ALIAS2.example.com.");
        var direct = LookupA(Resolver(), "mail.example.com");

        Assert.Equal("mail.example.com", chain.CanonicalName);
        Assert.Null(direct.CanonicalName);
    }

    [Fact]
    public void Cname_answer_ttl_is_the_smallest_along_the_chain()
    {
        // alias (60 s) → mail (600 s): a cache must not keep the address past the alias.
        var answer = LookupA(Resolver(), "alias.example.com");

        Assert.Equal(TimeSpan.FromSeconds(60), answer.TimeToLive);
    }

    [Fact]
    public void Cname_to_a_target_without_the_type_is_nodata()
    {
        var answer = Resolver().Lookup("alias.example.com", DnsRecordType.TXT, data => (TxtRecord)data);

        Assert.Equal(DnsStatus.NoData, answer.Status);
    }

    [Fact]
    public void Cname_to_a_missing_name_is_nxdomain()
    {
        Assert.Equal(DnsStatus.NoSuchDomain, LookupA(Resolver(), "dangling.example.com").Status);
    }

    [Fact]
    public void Cname_itself_is_returned_when_asked_for()
    {
        var answer = Resolver().Lookup("alias2.example.com", DnsRecordType.CNAME, data => (string)data);

        Assert.Equal(["alias.example.com"], answer.Records);
    }

    [Fact]
    public void Cname_loop_is_a_server_failure()
    {
        var answer = LookupA(Resolver(), "loop1.example.com");

        Assert.Equal(DnsStatus.ServerFailure, answer.Status);
        Assert.Contains("CNAME chain longer than 8", answer.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Cname_target_added_by_code_is_normalized()
    {
        var resolver = Resolver(data => data.Add(new ResourceRecord("code.example.com", DnsRecordType.CNAME, TimeSpan.FromMinutes(1), "MAIL.Example.com.")));

        Assert.Equal(DnsStatus.Records, LookupA(resolver, "code.example.com").Status);
    }

    [Fact]
    public async Task Failure_injected_for_a_name_answers_every_type()
    {
        var resolver = Resolver(data => data.InjectFailure("Mail.Example.com", DnsStatus.ServerFailure));

        var a = LookupA(resolver, "mail.example.com");
        var txt = await resolver.LookupTxtAsync("mail.example.com", CancellationToken.None);

        Assert.Equal(DnsStatus.ServerFailure, a.Status);
        Assert.Equal(DnsStatus.ServerFailure, txt.Status);
        Assert.Equal("servfail injected for mail.example.com", a.Problem);
        Assert.Equal(DnsStatus.Records, (await resolver.LookupMxAsync("example.com", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Failure_injected_for_a_type_answers_only_that_type()
    {
        var resolver = Resolver(data => data.InjectFailure("example.com", DnsStatus.Timeout, DnsRecordType.TXT));

        Assert.Equal(DnsStatus.Timeout, (await resolver.LookupTxtAsync("example.com", CancellationToken.None)).Status);
        Assert.Equal(DnsStatus.Records, (await resolver.LookupMxAsync("example.com", CancellationToken.None)).Status);
    }

    [Fact]
    public void Failure_injected_on_a_cname_target_is_met_when_following()
    {
        var resolver = Resolver(data => data.InjectFailure("mail.example.com", DnsStatus.Timeout, DnsRecordType.A));

        Assert.Equal(DnsStatus.Timeout, LookupA(resolver, "alias.example.com").Status);
    }

    [Fact]
    public void Injecting_records_status_is_refused()
    {
        var data = new ZoneData();

        Assert.Throws<ArgumentException>(() => data.InjectFailure("example.com", DnsStatus.Records));
    }

    [Fact]
    public async Task Ptr_lookup_uses_the_ipv4_reverse_name()
    {
        var resolver = Resolver(text: "25.2 PTR Mail.Example.com.\n", origin: "0.192.in-addr.arpa");

        var answer = await resolver.LookupPtrAsync(IPAddress.Parse("192.0.2.25"), CancellationToken.None);

        Assert.Equal(DnsStatus.Records, answer.Status);
        Assert.Equal(["mail.example.com"], answer.Records);
    }

    [Fact]
    public async Task Ptr_lookup_uses_the_ipv6_reverse_name()
    {
        const string text = "$ORIGIN 8.b.d.0.1.0.0.2.ip6.arpa.\n5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 PTR mail.example.com.\n";
        var resolver = Resolver(text: text, origin: "ip6.arpa");

        var answer = await resolver.LookupPtrAsync(IPAddress.Parse("2001:db8::25"), CancellationToken.None);
        var missing = await resolver.LookupPtrAsync(IPAddress.Parse("2001:db8::26"), CancellationToken.None);

        Assert.Equal(["mail.example.com"], answer.Records);
        Assert.Equal(DnsStatus.NoSuchDomain, missing.Status);
    }

    [Fact]
    public void Resolver_answers_from_a_snapshot()
    {
        var data = new ZoneData();
        data.LoadText("www A 192.0.2.1\n", "example.zone", "example.com");
        var resolver = new ZoneResolver(data);

        data.LoadText("new A 192.0.2.2\n", "more.zone", "example.com");

        Assert.Equal(DnsStatus.NoSuchDomain, LookupA(resolver, "new.example.com").Status);
    }

    [Fact]
    public void Authority_covers_each_origin_and_the_names_below_it()
    {
        var resolver = Resolver();

        Assert.True(resolver.IsAuthoritativeFor("example.com"));
        Assert.True(resolver.IsAuthoritativeFor("X.Example.COM."));
        Assert.False(resolver.IsAuthoritativeFor("example.net"));
        Assert.False(resolver.IsAuthoritativeFor("badexample.com"));
        Assert.True(Resolver(text: ". NS ns1.example.\n", origin: ".").IsAuthoritativeFor("anything.test"));
    }

    [Fact]
    public async Task Zone_file_loads_from_disk_and_reports_unreadable_files()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vouch-{Guid.NewGuid():N}.zone");
        await File.WriteAllTextAsync(path, "$ORIGIN example.org.\nwww A 192.0.2.9\n");
        try
        {
            var data = new ZoneData();
            await data.LoadFileAsync(path, null, CancellationToken.None);

            Assert.Equal(DnsStatus.Records, LookupA(new ZoneResolver(data), "www.example.org").Status);
            Assert.Equal(["example.org"], data.Origins);
        }
        finally
        {
            File.Delete(path);
        }

        var exception = await Assert.ThrowsAsync<ZoneFileException>(() => new ZoneData().LoadFileAsync(path, null, CancellationToken.None));
        Assert.Equal(0, exception.Line);
        Assert.StartsWith("cannot read the zone file", exception.Problem, StringComparison.Ordinal);
    }
}
