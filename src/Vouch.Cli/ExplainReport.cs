using Vouch.Checks;
using Vouch.Dns;
using Vouch.Spf;

namespace Vouch.Cli;

/// <summary>The full trace of a check as an indented tree a person can follow.</summary>
internal static class ExplainReport
{
    public static void Write(TextWriter output, CheckOutcome outcome)
    {
        var request = outcome.Request;
        output.WriteLine($"Client {request.Client} said HELO {request.Helo} and MAIL FROM <{request.Sender}>.");
        output.WriteLine();
        WriteSpf(output, outcome.MailFromSpf, request.Sender.Length == 0
            ? "SPF for MAIL FROM (empty: a bounce, so the HELO name stands in, RFC 7208 §2.4)"
            : "SPF for MAIL FROM");
        output.WriteLine();
        WriteSpf(output, outcome.HeloSpf, "SPF for HELO");
    }

    private static void WriteSpf(TextWriter output, SpfResult result, string title)
    {
        output.WriteLine($"{title}: checking {result.Sender} (domain {result.Domain})");
        // A query made by a term is shown under it; the record's own TXT query is not.
        var termSeenAtDepth = new HashSet<int>();
        foreach (var traceEvent in result.Trace)
        {
            switch (traceEvent)
            {
                case SpfTermEvent:
                    termSeenAtDepth.Add(traceEvent.Depth);
                    break;
                case SpfRecordEvent or SpfResultEvent:
                    termSeenAtDepth.Remove(traceEvent.Depth);
                    break;
            }

            var underTerm = traceEvent is SpfDnsQueryEvent && termSeenAtDepth.Contains(traceEvent.Depth);
            output.Write(new string(' ', 2 + (4 * traceEvent.Depth) + (underTerm ? 4 : 0)));
            output.WriteLine(Describe(traceEvent));
        }

        output.WriteLine($"  => {HumanReport.Describe(result)}");
    }

    private static string Describe(SpfTraceEvent traceEvent) => traceEvent switch
    {
        SpfDnsQueryEvent query => $"DNS {query.Type} {query.Name}: {DescribeAnswer(query)}",
        SpfRecordEvent record => $"record of {record.Domain}: \"{record.Text}\"",
        SpfTermEvent term => $"{term.Term} -> {DescribeOutcome(term.Outcome)}{(term.Note is null ? "" : ": " + term.Note)}",
        SpfResultEvent done => $"result for {done.Domain}: {done.Code.ToToken()}{(done.Note is null ? "" : " (" + done.Note + ")")}",
        _ => traceEvent.ToString(),
    };

    private static string DescribeAnswer(SpfDnsQueryEvent query) => query.Status switch
    {
        DnsStatus.Records => string.Join(", ", query.Answers.Select(a => query.Type == DnsRecordType.TXT ? "\"" + a + "\"" : a)),
        DnsStatus.NoData => "no records of that type (NODATA)",
        DnsStatus.NoSuchDomain => "no such domain (NXDOMAIN)" + (query.Problem is null ? "" : $" [{query.Problem}]"),
        _ => $"{query.Status.ToToken()}{(query.Problem is null ? "" : $" [{query.Problem}]")}",
    };

    private static string DescribeOutcome(SpfTermOutcome outcome) => outcome switch
    {
        SpfTermOutcome.Match => "match",
        SpfTermOutcome.NoMatch => "no match",
        SpfTermOutcome.TempError => "temperror",
        SpfTermOutcome.PermError => "permerror",
        _ => "applied",
    };
}
