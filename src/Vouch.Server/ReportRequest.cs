using System.Text.Json;
using Vouch.Reputation;

namespace Vouch.Server;

/// <summary>One report as the endpoint reads it from its JSON body: Vouch's own shape, or rspamd's metadata_exporter's.</summary>
/// <param name="Ticket">The Vouch-Ticket header value, or "".</param>
/// <param name="QueueId">The queue id, or "".</param>
/// <param name="Kind">Spam or ham.</param>
/// <param name="Reporter">The reporter's id.</param>
/// <param name="Source">The source.</param>
/// <param name="Ignored">True for an rspamd verdict that is no report (no action).</param>
internal sealed record ReportRequest(string Ticket, string QueueId, ReportKind Kind, string Reporter, ReportSource Source, bool Ignored)
{
    /// <summary>
    /// Reads <c>{"ticket"|"queue_id", "kind", "reporter", "source"}</c>, or rspamd's <c>{"qid", "action", …}</c>:
    /// <c>reject</c> is a filter report, <c>add header</c> and <c>rewrite subject</c> a filter-tag report, any
    /// other action none. Null with the problem when the body is not one of them.
    /// </summary>
    public static (ReportRequest? Request, string Problem) Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            return (null, "the body is not JSON: " + exception.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "the body is not a JSON object");
            }

            var root = document.RootElement;
            string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
            if (!root.TryGetProperty("kind", out _) && root.TryGetProperty("qid", out _) && root.TryGetProperty("action", out _))
            {
                var action = Text("action");
                var source = action switch
                {
                    "reject" => ReportSource.Filter,
                    "add header" or "rewrite subject" => ReportSource.FilterTag,
                    _ => (ReportSource?)null,
                };
                return source is null
                    ? (new ReportRequest("", Text("qid"), ReportKind.Spam, "rspamd", ReportSource.Filter, Ignored: true), $"rspamd action '{action}' is no report")
                    : (new ReportRequest("", Text("qid"), ReportKind.Spam, "rspamd", source.Value, Ignored: false), "");
            }

            var ticket = Text("ticket");
            var queueId = Text("queue_id");
            if (ticket.Length == 0 && queueId.Length == 0)
            {
                return (null, "give \"ticket\" (the Vouch-Ticket header's value) or \"queue_id\"");
            }

            if (!VouchWords.TryParseKind(Text("kind"), out var kind))
            {
                return (null, "\"kind\" must be \"spam\" or \"ham\"");
            }

            var sourceText = Text("source");
            if (sourceText.Length == 0)
            {
                sourceText = "user";
            }

            if (!VouchWords.TryParseSource(sourceText, out var reportSource) || reportSource == ReportSource.Arf)
            {
                return (null, "\"source\" must be user, trap, filter, filter-tag or admin");
            }

            var reporter = Text("reporter");
            return reporter.Length == 0
                ? (null, "\"reporter\" is required: caps and the distinct-reporter count are per reporter")
                : (new ReportRequest(ticket, queueId, kind, reporter, reportSource, Ignored: false), "");
        }
    }
}
