using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vouch.Reputation;

namespace Vouch.Server;

/// <summary>
/// The report endpoint: <c>POST /v1/reports</c> with a bearer token, on loopback. A body names a ticket (the
/// <c>Vouch-Ticket</c> header's value) or a queue id, the kind, the reporter and the source; rspamd's
/// <c>metadata_exporter</c> JSON (<c>qid</c>, <c>action</c>) is read too, as a filter report of the message with
/// that queue id. Idempotent: the same (ticket, reporter) again answers 200 <c>duplicate</c>. Every refusal is
/// answered with its reason. System.Net.HttpListener serves it: it is in the runtime, so the self-contained
/// package stays without ASP.NET Core for one small endpoint.
/// </summary>
public sealed class ReportEndpoint
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly Func<ReportIngest?> ingest;
    private readonly byte[] token;

    /// <summary>Creates the endpoint.</summary>
    /// <param name="ingest">The live ingest (null while reputation is off).</param>
    /// <param name="token">The bearer token; "" refuses every request.</param>
    public ReportEndpoint(Func<ReportIngest?> ingest, string token)
    {
        this.ingest = ingest ?? throw new ArgumentNullException(nameof(ingest));
        this.token = Encoding.UTF8.GetBytes(token ?? "");
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="SetupException">The address cannot be listened on.</exception>
    public async Task ListenAsync(IPEndPoint endpoint, Action<string>? listening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        var prefix = $"http://{host}:{endpoint.Port}/";
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException exception)
        {
            throw new SetupException($"[reputation] report_listen {endpoint}: cannot listen: {exception.Message}", exception);
        }

        listening?.Invoke(prefix + "v1/reports");
        using var stop = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            _ = AnswerAsync(context, cancellationToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;

        // Until an answer is written, a failure (a bug, a store closed by a reload under way) closes the response as
        // 500: HttpListener's default is 200, which a reporter's script would take for counted.
        response.StatusCode = 500;
        try
        {
            var (status, body) = await HandleAsync(context.Request, cancellationToken).ConfigureAwait(false);
            var bytes = Encoding.UTF8.GetBytes(body + "\n");
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the service is stopping.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Closed already.
            }
        }
    }

    /// <summary>The status and JSON body for one request.</summary>
    internal async Task<(int Status, string Body)> HandleAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        if (request.Url?.AbsolutePath != "/v1/reports")
        {
            return (404, Error("not found; POST reports to /v1/reports"));
        }

        if (request.HttpMethod != "POST")
        {
            return (405, Error("POST a report"));
        }

        if (!Authorized(request.Headers["Authorization"]))
        {
            return (401, Error("a bearer token ([reputation] report_token) is required"));
        }

        if (ingest() is not { } live)
        {
            return (503, Error("reputation is off"));
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[8192];
            int read;
            while ((read = await request.InputStream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    return (413, Error($"the body is larger than {MaxBodyBytes} bytes"));
                }
            }

            body = buffer.ToArray();
        }

        var (parsed, problem) = ReportRequest.Parse(body);
        if (parsed is null)
        {
            return (400, Error(problem));
        }

        if (parsed.Ignored)
        {
            return (200, Outcome("ignored", problem, ""));
        }

        var outcome = parsed.Ticket is { Length: > 0 } ticket
            ? await live.ReportTicketAsync(ticket, parsed.Reporter, parsed.Kind, parsed.Source, cancellationToken).ConfigureAwait(false)
            : await live.ReportQueueIdAsync(parsed.QueueId, parsed.Reporter, parsed.Kind, parsed.Source, cancellationToken).ConfigureAwait(false);
        var status = outcome.Code switch
        {
            ReportOutcomeCode.Counted or ReportOutcomeCode.Cancelled => 202,
            ReportOutcomeCode.Duplicate => 200,
            ReportOutcomeCode.Unavailable => 503,
            ReportOutcomeCode.OverCap => 429,
            _ => 422,
        };
        return (status, Outcome(outcome.Token, outcome.Detail, live.Describe(outcome)));
    }

    private bool Authorized(string? header)
    {
        const string Scheme = "Bearer ";
        if (token.Length == 0 || header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), token);
    }

    private static string Error(string problem) => Outcome("error", problem, "");

    private static string Outcome(string outcome, string detail, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("outcome", outcome);
            writer.WriteString("detail", detail);
            if (message.Length > 0)
            {
                writer.WriteString("message", message);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
