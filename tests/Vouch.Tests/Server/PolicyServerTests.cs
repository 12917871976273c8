using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns;
using Vouch.Dns.Caching;
using Vouch.Dns.Zones;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Server;
using Vouch.Spf;
using Vouch.Tests.Cli;
using Vouch.Tests.Support;

namespace Vouch.Tests.Server;

/// <summary>The Postfix policy protocol over TCP and over a pair of streams, on the demo zone.</summary>
public sealed class PolicyServerTests
{
    private static async Task<PolicyResponder> ResponderAsync(
        PolicyMode mode, PolicyServerOptions? options = null, TextWriter? log = null, Func<IDnsResolver, IDnsResolver>? wrap = null, Func<VouchConfiguration, VouchConfiguration>? adjust = null)
    {
        var zone = new ZoneData();
        await zone.LoadFileAsync(CliRunner.DemoZone, null, CancellationToken.None);
        var configuration = new VouchConfiguration { Policy = new PolicyOptions { Mode = mode } };
        configuration = adjust?.Invoke(configuration) ?? configuration;
        IDnsResolver resolver = new ZoneResolver(zone);
        return new PolicyResponder(new SenderChecker(wrap?.Invoke(resolver) ?? resolver, TestSuffixes.List, configuration), options ?? new PolicyServerOptions { HostName = "mx.receiver.example" }, log);
    }

    [Fact]
    public async Task PostfixsVerifiedClientNameStandsInForThePtrLookup()
    {
        // out2.mailout.example is registered only through its PTR name; here every PTR question fails.
        PtrFailingResolver? resolver = null;
        var responder = await ResponderAsync(PolicyMode.Enforce, wrap: inner => resolver = new PtrFailingResolver(inner));
        var request = Request("RCPT", "198.51.100.41", "orders@shop.example.org", "[198.51.100.41]", "n1");

        var withName = await ServeAsync(responder, "client_name=out2.mailout.example\nreverse_client_name=out2.mailout.example\n" + request);
        var ptrQueriesWithName = resolver!.PtrQueries;
        var unknown = await ServeAsync(responder, "client_name=unknown\nreverse_client_name=unknown\n" + request.Replace("instance=n1", "instance=n2", StringComparison.Ordinal));

        Assert.Equal(0, ptrQueriesWithName);
        Assert.StartsWith("action=PREPEND Received-SPF: softfail ", withName, StringComparison.Ordinal);
        Assert.Contains("vouch: white: 198.51.100.41 is registered as MX host out2.mailout.example of mailout.example", withName, StringComparison.Ordinal);
        Assert.StartsWith("action=451 4.4.3 temporary DNS failure", unknown, StringComparison.Ordinal);
        Assert.True(resolver.PtrQueries > 0);
    }

    [Fact]
    public async Task TheMxHostsOfOurOwnDomainsAreSkipped()
    {
        using var log = new StringWriter();
        var options = new PolicyServerOptions { SkipDomains = ["example.net"] };
        var responder = await ResponderAsync(PolicyMode.Enforce, options, log, adjust: configuration => configuration with { Server = options });

        // relay.example.net is example.net's backup MX (preference 90): mail it relays is not judged again.
        var backup = await ServeAsync(responder, Request("RCPT", "198.51.100.30", "alice@example.com", "relay.example.net", "o1"));
        var stranger = await ServeAsync(responder, Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "o2"));

        Assert.Equal("action=DUNNO\n\n", backup);
        Assert.Contains("client=198.51.100.30: one of our MX hosts: relay.example.net (MX of example.net)", log.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("action=550 5.7.23 ", stranger, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PolicyMode.Enforce, FailureAction.Auto, "action=451 4.3.0 temporary policy failure, try again later\n\n")]
    [InlineData(PolicyMode.Monitor, FailureAction.Auto, "action=DUNNO\n\n")]
    [InlineData(PolicyMode.Enforce, FailureAction.Dunno, "action=DUNNO\n\n")]
    [InlineData(PolicyMode.Monitor, FailureAction.Defer, "action=451 4.3.0 temporary policy failure, try again later\n\n")]
    public async Task AnInternalErrorAnswersTheConfiguredFailureAction(PolicyMode mode, FailureAction failureAction, string expected)
    {
        using var log = new StringWriter();
        var configuration = new VouchConfiguration { Policy = new PolicyOptions { Mode = mode } };
        var responder = new PolicyResponder(new SenderChecker(new ThrowingResolver(), TestSuffixes.List, configuration), new PolicyServerOptions { FailureAction = failureAction }, log);

        var answer = await ServeAsync(responder, Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", "e1"));

        Assert.Equal(expected, answer);
        Assert.Contains("internal error, answered the safe action: InvalidOperationException: resolver bug", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAutomaticFailureActionFollowsTheRespondersClockAcrossTheEnforcementDate()
    {
        var enforceFrom = new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(enforceFrom.AddMinutes(-1));
        var configuration = new VouchConfiguration { Policy = new PolicyOptions { Mode = PolicyMode.Monitor, EnforceFrom = enforceFrom } };
        var responder = new PolicyResponder(new SenderChecker(new ThrowingResolver(), TestSuffixes.List, configuration), new PolicyServerOptions(), null, null, clock);

        var before = await ServeAsync(responder, Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", "t1"));
        clock.Advance(TimeSpan.FromMinutes(2));
        var after = await ServeAsync(responder, Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", "t2"));

        Assert.Equal("action=DUNNO\n\n", before);
        Assert.Equal("action=451 4.3.0 temporary policy failure, try again later\n\n", after);
    }

    [Fact]
    public async Task AcceptedMailCarriesTheHeaderUnlessTurnedOff()
    {
        var request = Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", "a1");

        var withHeader = await ServeAsync(await ResponderAsync(PolicyMode.Enforce), request);
        var without = await ServeAsync(await ResponderAsync(PolicyMode.Enforce, new PolicyServerOptions { HeaderOnAccept = false }), request);

        Assert.StartsWith("action=PREPEND Received-SPF: pass (mx.receiver.example: domain of example.com designates 192.0.2.10 as permitted sender; vouch: white: example.com authorises 192.0.2.10 by SPF)", withHeader, StringComparison.Ordinal);
        Assert.Equal("action=DUNNO\n\n", without);
    }

    [Fact]
    public async Task AuthenticatedSubmissionAndTrustedNetworksAreSkippedWithoutChecks()
    {
        using var log = new StringWriter();
        var options = new PolicyServerOptions { SkipNetworks = [new Vouch.Network.AddressPrefix(IPAddress.Parse("203.0.113.0"), 24)] };
        var responder = await ResponderAsync(PolicyMode.Enforce, options, log, adjust: c => c with { Server = options });

        var trusted = await ServeAsync(responder, Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "t1"));
        var authenticated = await ServeAsync(responder, "sasl_username=alice\n" + Request("RCPT", "198.51.100.99", "alice@example.com", "laptop.example", "t2"));

        Assert.Equal(("action=DUNNO\n\n", "action=DUNNO\n\n"), (trusted, authenticated));
        Assert.Contains("trusted network", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("authenticated (sasl_username)", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachDecisionIsOneLogLineAndCanBeJson()
    {
        using var text = new StringWriter();
        using var json = new StringWriter();
        await ServeAsync(await ResponderAsync(PolicyMode.Enforce, null, text), "queue_id=ABC123\n" + Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "l1"));
        await ServeAsync(await ResponderAsync(PolicyMode.Enforce, new PolicyServerOptions { JsonLog = true }, json), Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "l2"));

        var line = Assert.Single(text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("vouch: decision queue_id=ABC123 client=203.0.113.66 helo=spoofer.example.net sender=<alice@example.com> identity=ok spf=fail", line, StringComparison.Ordinal);
        Assert.Contains(" verdict=black action=reject enforced=reject mode=enforce rule=spf_fail ms=", line, StringComparison.Ordinal);
        Assert.EndsWith(" answer=\"550 5.7.23 SPF fail: 203.0.113.66 is not one of example.com's mail servers. See https://www.example.com/mail-policy\"", line, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json.ToString());
        Assert.Equal("black", document.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("spf_fail", document.RootElement.GetProperty("rule").GetString());
    }

    private static string Request(string state, string ip, string sender, string helo, string instance) =>
        $"request=smtpd_access_policy\nprotocol_state={state}\nclient_address={ip}\nhelo_name={helo}\nsender={sender}\ninstance={instance}\n\n";

    private static Task<string> ServeAsync(PolicyResponder responder, string input) => PolicyConversation.ServeAsync(responder, input);

    [Fact]
    public async Task EnforceModeAnswersWithTheVerdictsAction()
    {
        var responder = await ResponderAsync(PolicyMode.Enforce);

        var answers = await ServeAsync(responder,
            Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "m1") +
            "request=smtpd_access_policy\nprotocol_state=CONNECT\nclient_address=192.0.2.10\n\n" +
            Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", "m2") +
            Request("RCPT", "198.51.100.99", "x@flaky.invalid", "dsl.isp.example", "m3"));

        var lines = answers.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("action=550 5.7.23 SPF fail: 203.0.113.66 is not one of example.com's mail servers.", lines[0], StringComparison.Ordinal);
        Assert.Equal("action=DUNNO", lines[1]);
        Assert.StartsWith("action=PREPEND Received-SPF: pass ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("action=550 5.7.1 ", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorModeNeverRejectsButSaysWhatEnforcementWould()
    {
        var answers = await ServeAsync(await ResponderAsync(PolicyMode.Monitor), Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "m1"));

        Assert.StartsWith("action=PREPEND Received-SPF: fail (mx.receiver.example: domain of example.com does not designate 203.0.113.66 as permitted sender; vouch: black, monitor mode, enforcement would reject: 550 5.7.23", answers, StringComparison.Ordinal);
        Assert.Contains("envelope-from=\"alice@example.com\"; helo=\"spoofer.example.net\"; identity=mailfrom;", answers, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", answers, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("authentication-results", "action=PREPEND Authentication-Results: mx.receiver.example; spf=fail smtp.mailfrom=alice@example.com; spf=none smtp.helo=spoofer.example.net; iprev=permerror policy.iprev=203.0.113.66 (vouch: registration unregistered, verdict black; vouch: black, monitor mode, enforcement would reject: 550 5.7.23 SPF fail:")]
    [InlineData("x-rmx", "action=PREPEND X-RMX: NoRMX addr 203.0.113.66 by mx.receiver.example on ")]
    [InlineData("none", "action=DUNNO")]
    public async Task TheHeaderIsConfigurable(string header, string expected)
    {
        var responder = await ResponderAsync(PolicyMode.Monitor, ConfigurationLoader.Parse($"[server]\nheader = \"{header}\"", "server.toml").Server with { HostName = "mx.receiver.example" });

        var answer = await ServeAsync(responder, Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "h1"));

        Assert.StartsWith(expected, answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRegistrationOffTheHeaderHasNoIprevClause()
    {
        var responder = await ResponderAsync(PolicyMode.Monitor, new PolicyServerOptions { HostName = "mx.receiver.example", Header = TagHeader.AuthenticationResults },
            adjust: configuration => configuration with { Registration = new RegistrationOptions { Enabled = false } });

        var answer = await ServeAsync(responder, Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "h2"));

        Assert.StartsWith("action=PREPEND Authentication-Results: mx.receiver.example; spf=fail smtp.mailfrom=alice@example.com; spf=none smtp.helo=spoofer.example.net (vouch: registration off, verdict black;", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheHeloCheckOffTheHeaderHasNoHeloClause()
    {
        var responder = await ResponderAsync(PolicyMode.Monitor, new PolicyServerOptions { HostName = "mx.receiver.example", Header = TagHeader.AuthenticationResults },
            adjust: configuration => configuration with { Checks = ChecksOptions.Default with { CheckHelo = false } });

        var answer = await ServeAsync(responder, Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "h3"));

        Assert.StartsWith("action=PREPEND Authentication-Results: mx.receiver.example; spf=fail smtp.mailfrom=alice@example.com; iprev=permerror policy.iprev=203.0.113.66 (vouch:", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUnixSocketGetsTheConfiguredModeAndServesRequests()
    {
        var folder = Directory.CreateTempSubdirectory("vouch-socket-").FullName;
        var path = Path.Combine(folder, "policy.sock");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var server = new PolicyServer(await ResponderAsync(PolicyMode.Enforce), new PolicyServerOptions { SocketMode = mode });
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<EndPoint>();
        var listening = server.ListenAsync(new UnixDomainSocketEndPoint(path), bound.SetResult, stop.Token);
        await bound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var actualMode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
        string? answer;
        using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
            await using var stream = new NetworkStream(client, ownsSocket: false);
            using var reader = new StreamReader(stream);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "u1")));
            answer = await reader.ReadLineAsync();
        }

        await stop.CancelAsync();
        await listening.WaitAsync(TimeSpan.FromSeconds(30));
        Directory.Delete(folder, recursive: true);

        Assert.Equal(mode, actualMode);
        Assert.StartsWith("action=550 5.7.23 ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCountDecisionsAndAreServedForPrometheus()
    {
        var metrics = new PolicyMetrics(() => new DnsCacheStatistics(7, 3, 2, 1, 0, 5));
        var zone = new ZoneData();
        await zone.LoadFileAsync(CliRunner.DemoZone, null, CancellationToken.None);
        var checker = new SenderChecker(new ZoneResolver(zone), TestSuffixes.List, new VouchConfiguration { Policy = new PolicyOptions { Mode = PolicyMode.Enforce } });
        var responder = new PolicyResponder(checker, new PolicyServerOptions(), null, metrics);
        await ServeAsync(responder, Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "x1") + Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", "x2") + "sasl_username=bob\n" + Request("RCPT", "192.0.2.99", "bob@example.com", "laptop.example", "x3"));

        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<EndPoint>();
        var serving = new MetricsEndpoint(metrics).ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), bound.SetResult, stop.Token);
        var endpoint = (IPEndPoint)await bound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"http://{endpoint}/metrics"));
        var missing = await http.GetAsync(new Uri($"http://{endpoint}/other"));
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("vouch_decisions_total{verdict=\"black\",action=\"reject\"} 1", body, StringComparison.Ordinal);
        Assert.Contains("vouch_decisions_total{verdict=\"white\",action=\"accept\"} 1", body, StringComparison.Ordinal);
        Assert.Contains("vouch_decision_duration_seconds_count 2", body, StringComparison.Ordinal);
        Assert.Contains("vouch_skipped_total 1", body, StringComparison.Ordinal);
        Assert.Contains("vouch_dns_queries_total 2", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ClientTextCannotInjectHeaderFieldsOrAttributes()
    {
        var answers = await ServeAsync(await ResponderAsync(PolicyMode.Monitor), Request("RCPT", "203.0.113.66", "a\"b@example.com", "evil\";identity=helo", "m1"));

        Assert.Contains("envelope-from=\"a\\\"b@example.com\"; helo=\"evil\\\";identity=helo\"; identity=mailfrom;", answers, StringComparison.Ordinal);
        Assert.Equal(2, answers.Count(c => c == '\n'));
    }

    [Fact]
    public async Task OtherRecipientsOfAMessageReuseItsAnswer()
    {
        var responder = await ResponderAsync(PolicyMode.Enforce);

        var first = await ServeAsync(responder, Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", "same"));
        var second = await ServeAsync(responder, Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", "same"));

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("request=smtpd_access_policy\nthis line has no equals sign\n\n")]
    [InlineData("request=smtpd_access_policy\nprotocol_state=RCPT\n")]
    public async Task AMalformedRequestClosesTheConnectionWithoutAnAnswer(string input) =>
        Assert.Equal("", await ServeAsync(await ResponderAsync(PolicyMode.Enforce), input));

    [Fact]
    public async Task AnOversizedRequestIsRefused()
    {
        var answers = await ServeAsync(await ResponderAsync(PolicyMode.Enforce), "request=smtpd_access_policy\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"padding{i}={new string('x', 30)}\n")) + "\n");

        Assert.Equal("", answers);
    }

    [Fact]
    public async Task ManyRequestsOnManyTcpConnectionsAndAbruptDisconnects()
    {
        var server = new PolicyServer(await ResponderAsync(PolicyMode.Enforce));
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<EndPoint>();
        var listening = server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), bound.SetResult, stop.Token);
        var endpoint = (IPEndPoint)await bound.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // A client that sends garbage and one that hangs up mid-request do not disturb the others.
        using (var rude = new TcpClient())
        {
            await rude.ConnectAsync(endpoint);
            await rude.GetStream().WriteAsync(Encoding.UTF8.GetBytes("garbage without equals\n\n"));
        }

        using (var quitter = new TcpClient())
        {
            await quitter.ConnectAsync(endpoint);
            await quitter.GetStream().WriteAsync(Encoding.UTF8.GetBytes("request=smtpd_access_policy\nprotocol_sta"));
        }

        var clients = Enumerable.Range(0, 8).Select(async c =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream);
            var results = new List<string>();
            for (var i = 0; i < 25; i++)
            {
                var pass = i % 2 == 0;
                await stream.WriteAsync(Encoding.UTF8.GetBytes(pass
                    ? Request("RCPT", "192.0.2.10", "alice@example.com", "mail.example.com", $"c{c}m{i}")
                    : Request("RCPT", "203.0.113.66", "alice@example.com", "spoofer.example.net", $"c{c}m{i}")));
                results.Add((pass ? "registered " : "spoofer ") + (await reader.ReadLineAsync())!);
                Assert.Equal("", await reader.ReadLineAsync());
            }

            return results;
        }).ToArray();

        var all = (await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60))).SelectMany(r => r).ToArray();
        await stop.CancelAsync();
        await listening.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(200, all.Length);
        Assert.Equal(13 * 8, all.Count(a => a.StartsWith("registered action=PREPEND Received-SPF: pass ", StringComparison.Ordinal)));
        Assert.Equal(12 * 8, all.Count(a => a.StartsWith("spoofer action=550 5.7.23 ", StringComparison.Ordinal)));
    }
}
