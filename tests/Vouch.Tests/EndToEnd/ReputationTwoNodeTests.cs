using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Vouch.Tests.Reputation;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// Reputation across a fleet: two `vouch serve` processes with one configuration and one private Redis. Mail
/// accepted by node A, reported as spam to node A's endpoint by enough people, is refused by node B; and a
/// store that is down leaves reputation unknown, never black.
/// </summary>
public sealed class ReputationTwoNodeTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private const string Token = "e2e-report-token";
    private const string Client = "192.0.2.10";

    // The fleet's shared ticket key: 32 bytes, base64.
    private static readonly string TicketKey = Convert.ToBase64String(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"));

    // vouch-e2e-…: test.sh's clean-up matches the folder (and the configuration file VouchServeProcess writes).
    private readonly string folder = Directory.CreateTempSubdirectory("vouch-e2e-").FullName;
    private readonly string prefix = "vouch-e2e:" + Guid.NewGuid().ToString("N")[..12];

    private string ZonePath => Path.Combine(folder, "fleet.zone");

    public Task InitializeAsync() => File.WriteAllTextAsync(ZonePath, """
        $TTL 3600
        $ORIGIN example.com.
        @    IN SOA ns1.example.com. hostmaster.example.com. 1 3600 600 604800 300
        @    IN NS  ns1
        @    IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
        ns1  IN A   192.0.2.2
        """);

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Spam_reported_to_node_a_by_six_recipients_makes_node_b_refuse_the_owner()
    {
        var reportPort = LoopbackPorts.Free();
        await using var nodeA = await VouchServeProcess.StartServeAsync(Configuration(redis.Server.Configuration, reportPort), ["--zone", ZonePath]);
        await using var nodeB = await VouchServeProcess.StartServeAsync(Configuration(redis.Server.Configuration, null), ["--zone", ZonePath]);
        using var http = await ReportClientAsync(nodeA, reportPort);

        var tickets = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            tickets.Add(await DeliverAsync(nodeA.Port, $"a{i}", $"4QA{i}"));
        }

        var before = await AskRcptAsync(nodeB.Port, "b-before");
        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < tickets.Count; i++)
        {
            answers.Add(await PostAsync(http, Token, ReportJson(tickets[i], $"user{i}@receiver.example")));
        }

        var duplicate = await PostAsync(http, Token, ReportJson(tickets[0], "user0@receiver.example"));
        var anonymous = await PostAsync(http, null, ReportJson(tickets[1], "user9@receiver.example"));
        var tampered = await PostAsync(http, Token, ReportJson(tickets[2].Replace("o=example.com", "o=victim.example", StringComparison.Ordinal), "user9@receiver.example"));
        var refused = await PollRcptAsync(nodeB.Port, answer => answer.StartsWith("action=550 ", StringComparison.Ordinal));

        Assert.All(tickets, ticket => Assert.Contains("; o=example.com; via=-; m=spf; s=strong; ip=192.0.2.10;", ticket, StringComparison.Ordinal));
        Assert.StartsWith("action=PREPEND Received-SPF: pass", before, StringComparison.Ordinal);
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Accepted, answer.Status));
        Assert.All(answers, answer => Assert.Contains("\"outcome\":\"counted\"", answer.Body, StringComparison.Ordinal));
        Assert.Contains("counted against example.com via - (blocked;", answers[^1].Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, duplicate.Status);
        Assert.Contains("\"outcome\":\"duplicate\"", duplicate.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal((HttpStatusCode)422, tampered.Status);
        Assert.Contains("\"outcome\":\"bad_mac\"", tampered.Body, StringComparison.Ordinal);
        Assert.NotNull(refused);
        Assert.StartsWith("action=550 5.7.1 ", refused, StringComparison.Ordinal);
        Assert.Contains("servers vouched for by example.com refused: ", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redis_store_that_is_down_leaves_reputation_unknown_and_spf_pass_is_still_white()
    {
        var closed = LoopbackPorts.Free();
        var reportPort = LoopbackPorts.Free();
        await using var node = await VouchServeProcess.StartServeAsync(Configuration($"127.0.0.1:{closed}", reportPort), ["--zone", ZonePath]);
        using var http = await ReportClientAsync(node, reportPort);

        var first = await AskRcptAsync(node.Port, "d1");
        var ticket = await DeliverAsync(node.Port, "d2", "4QD2");
        var report = await PostAsync(http, Token, ReportJson(ticket, "user0@receiver.example"));
        var again = await AskRcptAsync(node.Port, "d3");

        Assert.StartsWith("action=PREPEND Received-SPF: pass", first, StringComparison.Ordinal);
        Assert.Contains("; o=example.com; ", ticket, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, report.Status);
        Assert.Contains("\"outcome\":\"unavailable\"", report.Body, StringComparison.Ordinal);
        Assert.StartsWith("action=PREPEND Received-SPF: pass", again, StringComparison.Ordinal);
        Assert.False(node.HasExited, node.Log);
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task A_report_port_that_is_taken_stops_the_start_instead_of_serving_without_the_endpoint()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => VouchServeProcess.StartServeAsync(Configuration(redis.Server.Configuration, taken), ["--zone", ZonePath]));

        Assert.Contains($"[reputation] report_listen 127.0.0.1:{taken}: cannot listen", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("vouch: listening on", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The one configuration of the fleet; only node A (<paramref name="reportPort"/>) takes reports.</summary>
    private string Configuration(string redisServer, int? reportPort) => string.Create(CultureInfo.InvariantCulture, $"""
        mode = "enforce"
        public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat"

        [reputation]
        enabled = true
        mode = "enforce"
        store = "redis"
        redis = "{redisServer}"
        redis_prefix = "{prefix}"
        ticket_key = "{TicketKey}"
        report_listen = "{(reportPort is { } port ? $"127.0.0.1:{port}" : "")}"
        report_token = "{Token}"
        refresh_ms = 200
        """);

    private static string ReportJson(string ticket, string reporter) =>
        $$"""{"ticket":"{{ticket}}","kind":"spam","reporter":"{{reporter}}","source":"user"}""";

    /// <summary>An HTTP client for the endpoint on <paramref name="port"/>, once the port accepts (polled, not waited for).</summary>
    private static async Task<HttpClient> ReportClientAsync(VouchServeProcess node, int port)
    {
        Assert.True(await LoopbackPorts.WaitForBannerAsync(port, null, () => node.HasExited), "the report endpoint did not listen:\n" + node.Log);
        return new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string? token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/reports") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>One message through the policy protocol: RCPT, DATA (the ticket), END-OF-MESSAGE (the delivery); the ticket's header value.</summary>
    private static async Task<string> DeliverAsync(int port, string instance, string queueId)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var rcpt = await AskAsync(stream, reader, Request("RCPT", instance, ""));
        var data = await AskAsync(stream, reader, Request("DATA", instance, queueId));
        var end = await AskAsync(stream, reader, Request("END-OF-MESSAGE", instance, queueId) + "recipient_count=1\n");
        Assert.StartsWith("action=PREPEND Received-SPF: pass", rcpt, StringComparison.Ordinal);
        Assert.Equal("action=DUNNO", end);
        const string Prepend = "action=PREPEND Vouch-Ticket: ";
        Assert.StartsWith(Prepend, data, StringComparison.Ordinal);
        return data[Prepend.Length..];
    }

    private static async Task<string> AskRcptAsync(int port, string instance)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        return await AskAsync(stream, new StreamReader(stream, Encoding.ASCII), Request("RCPT", instance, ""));
    }

    /// <summary>
    /// Asks node B about a new message (a new instance each time: answers are kept per instance) until
    /// <paramref name="condition"/> holds; at most 30 s. Null when it never did.
    /// </summary>
    private static async Task<string?> PollRcptAsync(int port, Func<string, bool> condition)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var attempt = 0; attempt < 1000 && !giveUp.IsCancellationRequested; attempt++)
        {
            var answer = await AskRcptAsync(port, string.Create(CultureInfo.InvariantCulture, $"b{attempt}"));
            if (condition(answer))
            {
                return answer;
            }

            // Pacing between looks at the condition (node B's own answer), not a wait for the server.
            await Task.Delay(20, CancellationToken.None);
        }

        return null;
    }

    /// <summary>Sends one request and reads its "action=…" line and the empty line after it.</summary>
    private static async Task<string> AskAsync(NetworkStream stream, StreamReader reader, string request)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request + "\n"));
        var action = await reader.ReadLineAsync() ?? "";
        Assert.Equal("", await reader.ReadLineAsync());
        return action;
    }

    private static string Request(string state, string instance, string queueId) =>
        "request=smtpd_access_policy\n" +
        $"protocol_state={state}\n" +
        $"instance={instance}\n" +
        $"queue_id={queueId}\n" +
        $"client_address={Client}\n" +
        "client_name=unknown\n" +
        "helo_name=mail.example.com\n" +
        "sender=news@example.com\n" +
        "recipient=u@receiver.example\n";
}
