using System.Text.Json;

using Vouch.Tests.Cli;

namespace Vouch.Tests.Audit;

/// <summary>
/// `vouch audit` on small zone-file worlds, offline: each world makes one finding, and the exit code, the JSON and
/// the matrix say what a receiver running Vouch decides — checked against `vouch check` itself.
/// </summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("vouch-audit-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task ADomainWhoseMxHostsAreItsServersIsWhiteAndExitsZero()
    {
        var zone = World("owner.example", """
            @       IN MX 10 mail.owner.example.
            @       IN TXT "v=spf1 mx -all"
            mail    IN A 192.0.2.10
            mail    IN TXT "v=spf1 a -all"
            """, ptr: ("192.0.2.10", "mail.owner.example."));

        var (exit, json) = await AuditJsonAsync("owner.example", zone);

        Assert.Equal(0, exit);
        Assert.True(json.GetProperty("all_white").GetBoolean());
        var server = Assert.Single(json.GetProperty("servers").EnumerateArray());
        Assert.Equal(("192.0.2.10", "MX host mail.owner.example"), (server.GetProperty("ip").GetString(), server.GetProperty("origin").GetString()));
        Assert.Equal(["mail.owner.example"], server.GetProperty("helos").EnumerateArray().Select(h => h.GetString()));
        // postmaster@DOMAIN and the bounce (RFC 7208 §2.4: the HELO identity).
        Assert.Equal(["postmaster@owner.example", ""], json.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("mail_from").GetString()));
        Assert.All(json.GetProperty("rows").EnumerateArray(), row => Assert.Equal("white", row.GetProperty("verdict").GetString()));
        Assert.Empty(Ids(json));
    }

    [Fact]
    public async Task AServerNoDomainVouchesForIsAnErrorWithTheReceiversReplyAndExitsOne()
    {
        var zone = World("owner.example", """
            @       IN MX 10 mail.owner.example.
            @       IN TXT "v=spf1 mx ~all"
            mail    IN A 192.0.2.10
            """);

        var (exit, json) = await AuditJsonAsync("owner.example", zone, "--ip", "203.0.113.5", "--helo", "out.owner.example");

        Assert.Equal(1, exit);
        var finding = json.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("id").GetString() == "SERVER-NOT-WHITE");
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("F-SPF-IP", finding.GetProperty("fix").GetString());
        var row = json.GetProperty("rows").EnumerateArray().First();
        Assert.Equal(("black", "spf_softfail"), (row.GetProperty("verdict").GetString(), row.GetProperty("rule").GetString()));
        Assert.StartsWith("550 5.7.1 ", row.GetProperty("smtp_reply").GetString(), StringComparison.Ordinal);
        Assert.Contains("SPF-HELO-NONE", Ids(json));
        Assert.Contains("PTR-NONE", Ids(json));
    }

    [Fact]
    public async Task EveryRowIsWhatVouchCheckDecidesForTheSameServerHeloAndSender()
    {
        var (_, json) = await AuditJsonAsync("example.net", CliRunner.DemoZone, "--ip", "198.51.100.20", "--ip", "203.0.113.99", "--mail-from", "bob@example.net");

        var rows = json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        foreach (var row in rows)
        {
            var (exit, output, error) = await CliRunner.RunAsync("check", "--zone", CliRunner.DemoZone, "--json", "--ip", row.GetProperty("ip").GetString()!, "--helo", row.GetProperty("helo").GetString()!, "--sender", row.GetProperty("mail_from").GetString()!);
            Assert.True(exit == 0, error);
            using var check = JsonDocument.Parse(output);
            Assert.Equal(
                (check.RootElement.GetProperty("verdict").GetString(), check.RootElement.GetProperty("rule").GetString(), check.RootElement.GetProperty("smtp_reply").GetString()),
                (row.GetProperty("verdict").GetString(), row.GetProperty("rule").GetString(), row.GetProperty("smtp_reply").GetString()));
        }
    }

    [Theory]
    [InlineData("198.51.100.8", "mail.owner.example.", "PTR-NOT-CONFIRMED")]
    [InlineData("192.0.2.10", "dsl-192-0-2-10.pool.isp.example.", "PTR-GENERIC")]
    public async Task APtrThatDoesNotConfirmOrLooksDynamicIsAWarning(string address, string ptr, string id)
    {
        var zone = World("owner.example", """
            @       IN MX 10 mail.owner.example.
            @       IN TXT "v=spf1 ip4:192.0.2.10 ip4:198.51.100.8 -all"
            mail    IN A 192.0.2.99
            mail    IN TXT "v=spf1 ip4:192.0.2.10 ip4:198.51.100.8 -all"
            """, ptr: (address, ptr), extra: "$ORIGIN isp.example.\ndsl-192-0-2-10.pool IN A 192.0.2.10\n");

        var (exit, json) = await AuditJsonAsync("owner.example", zone, "--ip", address, "--helo", "mail.owner.example");

        var finding = json.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == id);
        Assert.Equal(("warn", address, "F-PTR"), (finding.GetProperty("severity").GetString(), finding.GetProperty("subject").GetString(), finding.GetProperty("fix").GetString()));
        Assert.Equal(0, exit); // white by SPF: a warning does not fail by default…
        var (strict, _) = await AuditJsonAsync("owner.example", zone, "--ip", address, "--helo", "mail.owner.example", "--fail-on", "warn");
        Assert.Equal(1, strict); // …but does with --fail-on warn
    }

    [Fact]
    public async Task ANullMxDomainAndAnMxHostWithoutAddressAreReported()
    {
        var nullMx = World("quiet.example", "@ IN MX 0 .\n@ IN TXT \"v=spf1 -all\"\n");
        var (exit, json) = await AuditJsonAsync("quiet.example", nullMx);
        Assert.Contains("MX-NULL", Ids(json));
        Assert.Contains("AUDIT-NO-SERVERS", Ids(json));
        Assert.Equal(1, exit);

        var dangling = World("owner.example", "@ IN MX 10 gone.owner.example.\n@ IN MX 20 mail.owner.example.\nmail IN A 192.0.2.10\n@ IN TXT \"v=spf1 mx -all\"\n");
        var (_, second) = await AuditJsonAsync("owner.example", dangling);
        var finding = second.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "MX-NORESOLVE");
        Assert.Equal(("warn", "gone.owner.example"), (finding.GetProperty("severity").GetString(), finding.GetProperty("subject").GetString()));
    }

    [Fact]
    public async Task AListedServerAndAnRmxThatDeniesItAreErrors()
    {
        var (exit, json) = await AuditJsonAsync("spammer.example", CliRunner.DemoZone, "--config", Path.Combine(TestPaths.RepositoryRoot, "examples", "demo.toml"), "--ip", "203.0.113.7", "--helo", "mx.spammer.example");
        Assert.Equal(1, exit);
        Assert.Contains("LIST-HIT", Ids(json));

        var (_, club) = await AuditJsonAsync("club.example.org", CliRunner.DemoZone, "--ip", "203.0.113.200", "--helo", "relay.provider.example");
        Assert.Contains("RMX-DENIED", Ids(club));
    }

    [Fact]
    public async Task AServerWithoutANameIsAuditedWithItsAddressLiteral()
    {
        var zone = World("owner.example", "@ IN TXT \"v=spf1 ip4:192.0.2.10 -all\"\n");

        var (exit, json) = await AuditJsonAsync("owner.example", zone, "--ip", "192.0.2.10");

        Assert.Equal(["[192.0.2.10]"], json.GetProperty("servers")[0].GetProperty("helos").EnumerateArray().Select(h => h.GetString()));
        Assert.Contains("HELO-LITERAL", Ids(json));
        // The bounce has no HELO identity to pass: not white.
        Assert.Equal(1, exit);
    }

    [Theory]
    [InlineData("audit", "not_a_domain")]
    [InlineData("audit", "ex ample.com")]
    [InlineData("audit", "-owner.example")]
    [InlineData("audit", "owner.example", "--ip", "300.1.1.1")]
    [InlineData("audit", "owner.example", "--fail-on", "sometimes")]
    [InlineData("audit", "owner.example", "--format", "xml")]
    [InlineData("audit", "owner.example", "--offline")]
    [InlineData("audit", "owner.example", "--offline", "--zone", "/nonexistent.zone")]
    public async Task WrongInputIsAUsageError(params string[] args)
    {
        var (exit, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("vouch: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTextReportNamesTheServersTheMatrixAndTheFindings()
    {
        var (exit, output, _) = await CliRunner.RunAsync("audit", "shop.example.org", "--zone", CliRunner.DemoZone, "--offline", "--ip", "198.51.100.7", "--helo", "mx.shop.example.org");

        Assert.Equal(1, exit);
        Assert.StartsWith("vouch audit shop.example.org: 1 server, 0 white", output, StringComparison.Ordinal);
        Assert.Contains("What a receiver running Vouch decides", output, StringComparison.Ordinal);
        Assert.Contains("softfail", output, StringComparison.Ordinal);
        Assert.Contains("SERVER-NOT-WHITE", output, StringComparison.Ordinal);
        Assert.Contains("fix: F-SPF-IP", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=spf1 mx ~all", "203.0.113.5", "out.owner.example")]
    [InlineData("v=spf1 include:esp.example -all", "2001:db8::25", "out.owner.example")]
    [InlineData(null, "203.0.113.5", "out.owner.example")]
    public async Task ThePublishedFixesMakeEveryAuditedServerWhiteForVouchCheckItself(string? record, string address, string helo)
    {
        var spf = record is null ? "" : $"@ IN TXT \"{record}\"\n";
        var zone = World("owner.example", $"@ IN MX 10 mail.owner.example.\nmail IN A 192.0.2.10\n{spf}@ IN TXT \"google-site-verification=abc\"\n",
            extra: "$ORIGIN esp.example.\n@ IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n");

        var (exit, lines, error) = await CliRunner.RunAsync("audit", "owner.example", "--zone", zone, "--offline", "--ip", address, "--helo", helo, "--format", "zone");
        Assert.True(exit == 1, error);
        Assert.Contains("after: 1 of 1 servers white", lines, StringComparison.Ordinal);

        // Publish: the old SPF record goes (its "; - " line), the new lines come in; the rest of the zone stays.
        var world = await File.ReadAllTextAsync(zone);
        if (record is not null)
        {
            Assert.Contains($"; - @ IN TXT \"{record}\"", lines, StringComparison.Ordinal);
            world = world.Replace($"@ IN TXT \"{record}\"\n", "", StringComparison.Ordinal);
        }

        var published = Path.Combine(folder, "published.zone");
        await File.WriteAllTextAsync(published, world + lines);
        foreach (var sender in new[] { "postmaster@owner.example", "" })
        {
            var (checkExit, output, checkError) = await CliRunner.RunAsync("check", "--zone", published, "--json", "--ip", address, "--helo", helo, "--sender", sender);
            Assert.True(checkExit == 0, checkError);
            using var check = JsonDocument.Parse(output);
            Assert.Equal("white", check.RootElement.GetProperty("verdict").GetString());
        }

        // And the audit of the published world finds nothing to fix.
        var (after, afterLines, _) = await CliRunner.RunAsync("audit", "owner.example", "--zone", published, "--offline", "--ip", address, "--helo", helo, "--format", "zone");
        Assert.Equal(0, after);
        Assert.Contains("nothing to publish", afterLines, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("F-LOW-MX", new[] { "postmaster@owner.example", "" })]
    [InlineData("F-RMX", new[] { "postmaster@owner.example" })]
    [InlineData("F-OUT-DOMAIN", new[] { "postmaster@owner.example", "" })]
    public async Task EachOtherWayToRegisterMakesTheServerWhiteForVouchCheck(string id, string[] senders)
    {
        var zone = World("owner.example", "@ IN MX 10 mail.owner.example.\nmail IN A 192.0.2.10\n@ IN TXT \"v=spf1 mx ~all\"\n");
        var (_, json) = await AuditJsonAsync("owner.example", zone, "--ip", "203.0.113.5", "--helo", "out.owner.example");

        var alternative = json.GetProperty("alternatives").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);
        var published = Path.Combine(folder, "alternative.zone");
        await File.WriteAllTextAsync(published, await File.ReadAllTextAsync(zone)
            + $"$ORIGIN {alternative.GetProperty("name").GetString()}.\n" + string.Join('\n', alternative.GetProperty("zone_lines").EnumerateArray().Select(l => l.GetString())) + "\n");
        var helo = alternative.GetProperty("helo_name").GetString() ?? "out.owner.example";
        foreach (var sender in senders)
        {
            var (exit, output, error) = await CliRunner.RunAsync("check", "--zone", published, "--json", "--ip", "203.0.113.5", "--helo", helo, "--sender", sender);
            Assert.True(exit == 0, error);
            using var check = JsonDocument.Parse(output);
            Assert.Equal("white", check.RootElement.GetProperty("verdict").GetString());
        }

        Assert.Contains(json.GetProperty("alternatives").EnumerateArray(), a => a.GetProperty("id").GetString() == "F-PTR");
    }

    [Fact]
    public async Task TheChosenFixesAreTheCheapestAndTheAlternativesCostMore()
    {
        var zone = World("owner.example", "@ IN MX 10 mail.owner.example.\nmail IN A 192.0.2.10\n@ IN TXT \"v=spf1 mx ~all\"\n");
        var (_, json) = await AuditJsonAsync("owner.example", zone, "--ip", "203.0.113.5", "--helo", "out.owner.example");

        // SPF is read by every receiver and adds no lookup: it is chosen for the sender and for the bounce's HELO name.
        Assert.Equal(["F-SPF-IP", "F-HELO-SPF"], json.GetProperty("fixes").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        var costs = json.GetProperty("alternatives").EnumerateArray().Select(a => a.GetProperty("cost")).ToList();
        Assert.All(costs, cost => Assert.True(cost.GetProperty("vouch_only").GetBoolean() || cost.GetProperty("server_change").GetBoolean() || cost.GetProperty("provider_must_act").GetBoolean()));
        var ptr = json.GetProperty("alternatives").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "F-PTR");
        Assert.True(ptr.GetProperty("cost").GetProperty("provider_must_act").GetBoolean());
        Assert.Equal(["F-RMX", "F-LOW-MX", "F-OUT-DOMAIN", "F-PTR"], json.GetProperty("alternatives").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AServerWithoutANameIsGivenOneInTheOutboundZoneAndTheReAuditFindsItWhite()
    {
        // A bounce from an unnamed server has no HELO identity: no SPF record can help; naming the server does.
        var zone = World("owner.example", "@ IN MX 10 mail.owner.example.\nmail IN A 192.0.2.10\n@ IN TXT \"v=spf1 mx -all\"\n");
        var (exit, json) = await AuditJsonAsync("owner.example", zone, "--ip", "203.0.113.5");

        Assert.Equal(1, exit);
        var fixes = json.GetProperty("fixes").EnumerateArray().ToList();
        var outbound = Assert.Single(fixes, f => f.GetProperty("id").GetString() == "F-OUT-DOMAIN");
        Assert.Equal("out1.out.owner.example", outbound.GetProperty("helo_name").GetString());
        Assert.True(outbound.GetProperty("cost").GetProperty("server_change").GetBoolean());
        var after = json.GetProperty("after");
        Assert.True(after.GetProperty("all_white").GetBoolean(), after.ToString());
        Assert.All(after.GetProperty("rows").EnumerateArray(), row => Assert.Equal("out1.out.owner.example", row.GetProperty("helo").GetString()));
    }

    [Fact]
    public async Task AVerdictThatDependsOnHowAReceiverCountsLookupsIsAProfileVarianceWarning()
    {
        // 8 includes and an mx term: 9 lookups by Vouch's count, 12 when the mx term's 3 address lookups count too.
        var includes = string.Join(' ', Enumerable.Range(1, 8).Select(i => $"include:i{i}.owner.example"));
        var records = $"@ IN MX 10 in.owner.example.\nin IN A 192.0.2.99\n@ IN TXT \"v=spf1 {includes} mx:relay.example -all\"\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"i{i} IN TXT \"v=spf1 -all\"\n"));
        var zone = World("owner.example", records, extra: "$ORIGIN relay.example.\n@ IN MX 10 r1\n@ IN MX 20 r2\n@ IN MX 30 r3\nr1 IN A 198.51.100.1\nr2 IN A 198.51.100.2\nr3 IN A 198.51.100.3\n");

        var (exit, json) = await AuditJsonAsync("owner.example", zone, "--ip", "198.51.100.2", "--helo", "mail.owner.example");

        var row = json.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("mail_from").GetString()!.Length > 0);
        Assert.Equal(("white", "spf_pass"), (row.GetProperty("verdict").GetString(), row.GetProperty("rule").GetString()));
        Assert.Equal(("black", "white"), (row.GetProperty("profiles").GetProperty("strict").GetString(), row.GetProperty("profiles").GetProperty("lenient").GetString()));
        var variance = json.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "PROFILE-VARIANCE");
        Assert.Equal("warn", variance.GetProperty("severity").GetString());
        Assert.Contains("strict black (spf_permerror)", variance.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, exit); // the bounce: the HELO name publishes no SPF, whatever the count
    }

    [Fact]
    public async Task DiscoveryTakesTheOwnSpfTermsAndMxHostsButNotTheProvidersRanges()
    {
        var (_, json) = await AuditJsonAsync("example.com", CliRunner.DemoZone);

        var origins = json.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("ip").GetString()!, s => s.GetProperty("origin").GetString()!);
        Assert.Equal("MX host mail.example.com", origins["192.0.2.25"]);
        Assert.Equal("SPF of example.com: stands for 192.0.2.0/28", origins["192.0.2.1"]);
        Assert.DoesNotContain(origins.Keys, ip => ip.StartsWith("198.51.100.", StringComparison.Ordinal)); // mailhost.example.net's, included
        var spf = json.GetProperty("spf");
        Assert.Equal(2, spf.GetProperty("dns_lookups").GetInt32());
        var terms = spf.GetProperty("tree").GetProperty("terms").EnumerateArray().ToList();
        Assert.Equal(["mx", "ip4:192.0.2.0/28", "include:_spf.mailhost.example.net", "-all"], terms.Select(t => t.GetProperty("term").GetString()));
        Assert.Equal([1, 1, 2, 2], terms.Select(t => t.GetProperty("running_total").GetInt32()));
        Assert.Contains("Provider", terms[2].GetProperty("notes").GetString(), StringComparison.Ordinal);
        Assert.Equal("_spf.mailhost.example.net", Assert.Single(spf.GetProperty("providers").EnumerateArray()).GetProperty("domain").GetString());
    }

    [Fact]
    public async Task DiscoveryTakesTheServersTheRmxRecordsName()
    {
        var zone = World("owner.example", """
            @       IN MX 10 mail.owner.example.
            mail    IN A 192.0.2.10
            relay   IN A 192.0.2.77
            _rmx    IN TXT "ipv4:192.0.2.50 !ipv4:192.0.2.51 host:relay.owner.example ipv4:198.51.100.0/28 apl:nets.owner.example"
            nets    IN APL 1:203.0.113.64/27 !1:203.0.113.96/27
            """);

        var (_, json) = await AuditJsonAsync("owner.example", zone);

        var origins = json.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("ip").GetString()!, s => s.GetProperty("origin").GetString()!);
        Assert.Equal("RMX of owner.example: ipv4:192.0.2.50", origins["192.0.2.50"]);
        Assert.Equal("RMX of owner.example: host:relay.owner.example", origins["192.0.2.77"]);
        Assert.Equal("RMX of owner.example: ipv4:198.51.100.0/28, stands for 198.51.100.0/28", origins["198.51.100.1"]);
        Assert.Equal("RMX of owner.example: apl:nets.owner.example, stands for 203.0.113.64/27", origins["203.0.113.65"]);
        Assert.DoesNotContain("192.0.2.51", origins.Keys); // a negated entry names a server that must not send
        Assert.DoesNotContain("203.0.113.97", origins.Keys);
        Assert.Equal("white", json.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("ip").GetString() == "192.0.2.50" && r.GetProperty("mail_from").GetString()!.Length > 0).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task ATermWithNoLookupToSpareNamesTheServersOneMoreIncludeWouldBreak()
    {
        var includes = string.Join(' ', Enumerable.Range(1, 9).Select(i => $"include:i{i}.owner.example"));
        var records = $"@ IN TXT \"v=spf1 ip4:192.0.2.5 {includes} \" \"include:last.owner.example -all\"\nlast IN TXT \"v=spf1 ip4:192.0.2.20 -all\"\n"
            + string.Concat(Enumerable.Range(1, 9).Select(i => $"i{i} IN TXT \"v=spf1 -all\"\n"));
        var zone = World("owner.example", records);

        var (_, json) = await AuditJsonAsync("owner.example", zone, "--ip", "192.0.2.20", "--ip", "192.0.2.5", "--helo", "mail.owner.example");

        var terms = json.GetProperty("spf").GetProperty("tree").GetProperty("terms").EnumerateArray().ToList();
        var last = terms.Single(t => t.GetProperty("term").GetString() == "include:last.owner.example");
        Assert.Equal(0, last.GetProperty("spare").GetInt32());
        Assert.Equal(["192.0.2.20"], last.GetProperty("one_more_breaks").EnumerateArray().Select(a => a.GetString()));
        var first = terms[0]; // ip4:192.0.2.5 comes before every lookup: nothing can break it
        Assert.Equal(10, first.GetProperty("spare").GetInt32());
        Assert.Empty(first.GetProperty("one_more_breaks").EnumerateArray());
        Assert.Contains("SPF-NEAR-LIMIT", Ids(json));

        var (_, text, _) = await CliRunner.RunAsync("audit", "owner.example", "--zone", zone, "--offline", "--ip", "192.0.2.20", "--helo", "mail.owner.example");
        Assert.Contains("no lookup to spare: one more include before it makes 192.0.2.20 permerror", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.10", "F-FLATTEN")] // matched at lookup 10: white, but the record is over the limit for everyone after it
    [InlineData("198.51.100.7", "F-FLATTEN")] // the provider's server, matched at lookup 11: permerror today; flattening alone mends it
    [InlineData("203.0.113.5", "F-SPF-IP")] // a new server: listed first, in the flattened record, which it takes the place of
    public async Task ARecordOverTheLimitHasItsOwnIncludesFlattenedAndThePublishedRecordIsWithinIt(string address, string expected)
    {
        var records = "@ IN TXT \"v=spf1 " + string.Join(' ', Enumerable.Range(1, 5).Select(i => $"include:_s{i}.owner.example")) + "\" \" "
            + string.Join(' ', Enumerable.Range(6, 5).Select(i => $"include:_s{i}.owner.example")) + " include:esp.example -all\"\n"
            + string.Concat(Enumerable.Range(1, 10).Select(i => $"_s{i} IN TXT \"v=spf1 ip4:192.0.2.{i} -all\"\n"));
        var zone = World("owner.example", records, extra: "$ORIGIN esp.example.\n@ IN TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n");

        var (_, json) = await AuditJsonAsync("owner.example", zone, "--ip", address, "--helo", "mail.owner.example");

        Assert.Contains("SPF-LOOKUPS", Ids(json));
        var fix = json.GetProperty("fixes").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "owner.example");
        Assert.Equal(expected, fix.GetProperty("id").GetString());
        Assert.Equal(expected == "F-FLATTEN", fix.GetProperty("cost").GetProperty("upkeep").GetBoolean());
        Assert.DoesNotContain("include:_s", fix.GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.Contains("include:esp.example", fix.GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, json.GetProperty("after").GetProperty("spf_lookups").GetInt32());

        // Published (the old record out, the fixes' lines in), a receiver passes the server and the audit finds the record within the limit.
        var world = (await File.ReadAllTextAsync(zone)).Replace(records.Split('\n')[0] + "\n", "", StringComparison.Ordinal);
        var (_, lines, _) = await CliRunner.RunAsync("audit", "owner.example", "--zone", zone, "--offline", "--ip", address, "--helo", "mail.owner.example", "--format", "zone");
        var published = Path.Combine(folder, "flattened.zone");
        await File.WriteAllTextAsync(published, world + lines);
        var (checkExit, output, checkError) = await CliRunner.RunAsync("check", "--zone", published, "--json", "--ip", address, "--helo", "mail.owner.example", "--sender", "postmaster@owner.example");
        Assert.True(checkExit == 0, checkError);
        using (var check = JsonDocument.Parse(output))
        {
            Assert.Equal(("white", "pass"), (check.RootElement.GetProperty("verdict").GetString(), check.RootElement.GetProperty("spf").GetProperty("result").GetString()));
        }

        var (_, again) = await AuditJsonAsync("owner.example", published, "--ip", address, "--helo", "mail.owner.example");
        Assert.DoesNotContain("SPF-LOOKUPS", Ids(again));
    }

    [Fact]
    public async Task AnMxHostThatIsACnameIsAWarningAndItsAddressIsStillAServer()
    {
        var zone = World("owner.example", """
            @       IN MX 10 mx.owner.example.
            @       IN TXT "v=spf1 mx -all"
            mx      IN CNAME host.owner.example.
            host    IN A 192.0.2.10
            """);

        var (_, json) = await AuditJsonAsync("owner.example", zone);

        var finding = json.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "MX-CNAME");
        Assert.Equal(
            ("warn", "mx.owner.example", "RFC 2181 §10.3"),
            (finding.GetProperty("severity").GetString(), finding.GetProperty("subject").GetString(), finding.GetProperty("rfc").GetString()));
        Assert.Equal("mx.owner.example. CNAME host.owner.example.", finding.GetProperty("evidence").GetString());
        Assert.Contains("host.owner.example", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        var server = Assert.Single(json.GetProperty("servers").EnumerateArray());
        Assert.Equal(("192.0.2.10", "MX host mx.owner.example"), (server.GetProperty("ip").GetString(), server.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task AnMxHostWithItsOwnAddressIsNoMxCname()
    {
        var zone = World("owner.example", """
            @       IN MX 10 mx.owner.example.
            @       IN TXT "v=spf1 mx -all"
            mx      IN A 192.0.2.10
            """);

        var (_, json) = await AuditJsonAsync("owner.example", zone);

        Assert.DoesNotContain("MX-CNAME", Ids(json));
        Assert.Equal("192.0.2.10", Assert.Single(json.GetProperty("servers").EnumerateArray()).GetProperty("ip").GetString());
    }

    private static IReadOnlyList<string> Ids(JsonElement json) => [.. json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];

    private string World(string origin, string records, (string Address, string Name)? ptr = null, string extra = "")
    {
        var text = $"$ORIGIN {origin}.\n$TTL 300\n@ IN SOA ns.{origin}. hostmaster.{origin}. 1 3600 600 604800 300\n{records}\n";
        if (ptr is { } reverse)
        {
            var octets = reverse.Address.Split('.');
            text += $"$ORIGIN {octets[2]}.{octets[1]}.{octets[0]}.in-addr.arpa.\n{octets[3]} IN PTR {reverse.Name}\n";
        }

        var path = Path.Combine(folder, $"{origin}-{Guid.NewGuid():N}.zone");
        File.WriteAllText(path, text + extra);
        return path;
    }

    private static async Task<(int Exit, JsonElement Json)> AuditJsonAsync(string domain, string zone, params string[] more)
    {
        var (exit, output, error) = await CliRunner.RunAsync(["audit", domain, "--zone", zone, "--offline", "--format", "json", .. more]);
        Assert.True(exit is 0 or 1 or 3, $"exit {exit}: {error}");
        using var document = JsonDocument.Parse(output);
        var json = document.RootElement.Clone();
        Assert.Equal(exit, json.GetProperty("exit_code").GetInt32());
        return (exit, json);
    }
}
