using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Reputation;
using Vouch.Server;
using Vouch.Tests.EndToEnd;
using Vouch.Tests.Support;

namespace Vouch.Tests.Server;

/// <summary>
/// The report endpoint in-process over HTTP, on a SQLite store: rspamd's metadata_exporter JSON names a message by
/// the queue id linked at END-OF-MESSAGE, and its action says whether (and how much) it is a report.
/// </summary>
public sealed class ReportEndpointTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Token = "endpoint-token";
    private readonly string folder = Directory.CreateTempSubdirectory("vouch-endpoint-").FullName;
    private readonly CancellationTokenSource stop = new();
    private ReputationSetup reputation = null!;
    private PolicyResponder responder = null!;
    private HttpClient http = null!;
    private Task listening = Task.CompletedTask;
    private int disposed;

    public async Task InitializeAsync()
    {
        var options = ReputationOptions.Default with
        {
            Enabled = true,
            Path = Path.Combine(folder, "reputation.db"),
            TicketKey = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"),
            Node = "mx1",
        };
        reputation = await ReputationSetup.OpenAsync(options, TestSuffixes.List, null, null, null, CancellationToken.None);
        var zone = new TestZone().Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        var checker = new SenderChecker(zone.Resolver(), TestSuffixes.List, new VouchConfiguration { Reputation = options }, reputation: reputation.Map);
        responder = new PolicyResponder(checker, new PolicyServerOptions { HostName = "mx.receiver.example" }, tickets: new TicketKeeper(reputation, 100));

        var port = LoopbackPorts.Free();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listening = new ReportEndpoint(() => reputation.Ingest, Token).ListenAsync(new IPEndPoint(IPAddress.Loopback, port), _ => ready.TrySetResult(), stop.Token);
        if (await Task.WhenAny(ready.Task, listening) == listening)
        {
            await listening; // It could not listen: say why.
        }

        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return; // xunit may ask both interfaces.
        }

        http.Dispose();
        await stop.CancelAsync();
        await listening;
        stop.Dispose();
        await reputation.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task An_rspamd_reject_of_a_linked_queue_id_is_a_filter_report_of_half_a_unit()
    {
        await DeliverAsync("i1", "4QRSPAMD1");

        var (status, body) = await PostAsync("""{"qid":"4QRSPAMD1","action":"reject","score":17.5,"subject":"cheap pills","ip":"192.0.2.10"}""");
        await reputation.Store.FlushAsync(CancellationToken.None);
        var events = await reputation.Store.EventsAsync("example.com", 10, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("\"outcome\":\"counted\"", body, StringComparison.Ordinal);
        Assert.Contains("counted against example.com via - (neutral; 0.5 of 5 spam units", body, StringComparison.Ordinal);
        Assert.Equal((ReportSource.Filter, 0.5), (events.Single().Source, events.Single().Units));
    }

    [Fact]
    public async Task An_rspamd_add_header_is_a_filter_tag_report_of_a_quarter_unit()
    {
        await DeliverAsync("i2", "4QRSPAMD2");

        var (status, _) = await PostAsync("""{"qid":"4QRSPAMD2","action":"add header"}""");
        await reputation.Store.FlushAsync(CancellationToken.None);
        var events = await reputation.Store.EventsAsync("example.com", 10, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal((ReportSource.FilterTag, 0.25), (events.Single().Source, events.Single().Units));
    }

    [Fact]
    public async Task An_rspamd_no_action_is_ignored_and_an_unknown_queue_id_is_no_ticket()
    {
        await DeliverAsync("i3", "4QRSPAMD3");

        var ignored = await PostAsync("""{"qid":"4QRSPAMD3","action":"no action"}""");
        var unknown = await PostAsync("""{"qid":"4QNEVERSEEN","action":"reject"}""");
        await reputation.Store.FlushAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, ignored.Status);
        Assert.Contains("\"outcome\":\"ignored\"", ignored.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)422, unknown.Status);
        Assert.Contains("\"outcome\":\"no_ticket\"", unknown.Body, StringComparison.Ordinal);
        Assert.Empty(await reputation.Store.EventsAsync("example.com", 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_failure_before_the_answer_is_a_500_never_a_bare_200()
    {
        var port = LoopbackPorts.Free();
        using var closing = new CancellationTokenSource();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var broken = new ReportEndpoint(() => throw new ObjectDisposedException("reputation store"), Token).ListenAsync(new IPEndPoint(IPAddress.Loopback, port), _ => ready.TrySetResult(), closing.Token);
        await Task.WhenAny(ready.Task, broken);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var content = new StringContent("""{"qid":"4QX","action":"reject"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("v1/reports", UriKind.Relative), content);
        await closing.CancelAsync();
        await broken;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    /// <summary>RCPT, DATA and END-OF-MESSAGE for one message; returns once the store links the queue id (written in the background, so polled).</summary>
    private async Task DeliverAsync(string instance, string queueId)
    {
        Assert.StartsWith("PREPEND Received-SPF: pass", await AnswerAsync("RCPT", instance, queueId), StringComparison.Ordinal);
        Assert.StartsWith("PREPEND Vouch-Ticket: ", await AnswerAsync("DATA", instance, queueId), StringComparison.Ordinal);
        Assert.Equal("DUNNO", await AnswerAsync("END-OF-MESSAGE", instance, queueId));
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            await reputation.Store.FlushAsync(CancellationToken.None);
            if (await reputation.Store.FindTicketAsync(queueId, CancellationToken.None) is not null)
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail($"queue id {queueId} was never linked to its ticket");
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("v1/reports", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<string> AnswerAsync(string state, string instance, string queueId) =>
        responder.AnswerAsync(new PolicyRequest(new Dictionary<string, string>
        {
            ["request"] = "smtpd_access_policy",
            ["protocol_state"] = state,
            ["instance"] = instance,
            ["queue_id"] = queueId,
            ["recipient_count"] = "1",
            ["client_address"] = "192.0.2.10",
            ["helo_name"] = "mail.example.com",
            ["sender"] = "news@example.com",
            ["recipient"] = "u@receiver.example",
        }), CancellationToken.None);
}
