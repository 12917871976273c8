using Vouch.Checks;
using Vouch.Dns;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Spf;

namespace Vouch.Cli;

/// <summary>The full trace of a check as an indented tree a person can follow.</summary>
internal static class ExplainReport
{
    public static void Write(TextWriter output, CheckOutcome outcome, IReadOnlyList<Vouch.Reputation.ReputationRow>? reputationRows = null, Vouch.Reputation.ReputationOptions? reputation = null)
    {
        var request = outcome.Request;
        output.WriteLine(request.Helo.Kind == Vouch.Smtp.HeloNameKind.Missing
            ? $"Client {request.Client} gave no HELO and said MAIL FROM <{request.Sender.Text}>."
            : $"Client {request.Client} said HELO {request.Helo.Text} and MAIL FROM <{request.Sender.Text}>.");
        output.WriteLine($"Identities: {HumanReport.DescribeIdentities(outcome)}");
        output.WriteLine();
        WriteSpf(output, outcome.MailFromSpf, request.Sender.IsNull
            ? "SPF for MAIL FROM (empty: a bounce, so the HELO name stands in, RFC 7208 §2.4)"
            : "SPF for MAIL FROM");
        output.WriteLine();
        WriteSpf(output, outcome.HeloSpf, "SPF for HELO");
        output.WriteLine();
        WriteRegistration(output, outcome.Evidence);
        output.WriteLine();
        WriteLists(output, outcome.Evidence);
        output.WriteLine();
        output.WriteLine($"RMX (draft-danisch-dns-rr-smtp-03): {HumanReport.Describe(outcome.Evidence.Rmx)}");
        foreach (var step in outcome.Evidence.Rmx.Steps)
        {
            output.WriteLine("  " + step);
        }

        output.WriteLine();
        if (outcome.Evidence.Reputation.Kept)
        {
            ReputationText.WriteFinding(output, outcome.Evidence.Reputation, reputationRows ?? [], reputation ?? Vouch.Reputation.ReputationOptions.Default);
            output.WriteLine();
        }

        WriteDecision(output, outcome);
    }

    private static void WriteRegistration(TextWriter output, Evidence evidence)
    {
        var fcrdns = evidence.Fcrdns;
        output.WriteLine("Reverse DNS (FCrDNS): " + HumanReport.Describe(fcrdns));
        if (fcrdns.PtrNames.Count > 0)
        {
            foreach (var name in fcrdns.PtrNames)
            {
                output.WriteLine($"  PTR {name}: {(fcrdns.ConfirmedNames.Contains(name) ? "resolves back to the client (confirmed)" : "does not resolve back to the client")}");
            }
        }

        output.WriteLine();
        var registration = evidence.Registration;
        output.WriteLine("MX registration: is the client one of the mail servers a domain it presents lists in its MX records?");
        if (registration.Code == RegistrationResultCode.Off)
        {
            output.WriteLine("  (turned off: [registration] enabled = false)");
        }
        else if (registration.Candidates.Count == 0)
        {
            output.WriteLine("  (no domain to try: no MAIL FROM domain, a HELO that is not a domain, no confirmed PTR name)");
        }

        foreach (var candidate in registration.Candidates)
        {
            var presented = candidate.IsOrganizationalDomain ? $"organisational domain of the {Route(candidate.Via)}" : $"the {Route(candidate.Via)}";
            output.WriteLine($"  {candidate.Domain} ({presented}): {candidate.Outcome.ToToken().Replace('_', ' ')} -- {candidate.Detail.TrimEnd(' ', ';')}");
        }

        output.WriteLine($"  => {HumanReport.Describe(registration)} ({registration.DnsQueries} DNS queries)");
    }

    private static void WriteLists(TextWriter output, Evidence evidence)
    {
        output.WriteLine($"Lists: {HumanReport.DescribeLists(evidence)}");
        foreach (var result in evidence.DnsLists)
        {
            var answers = result.Answers.Count == 0 ? "" : $" ({string.Join(", ", result.Answers)})";
            output.WriteLine($"  {result.List.Name}: {result.QueryName} -> {Decision.Token(result.Outcome)}{answers}{(result.Text is null ? "" : $" \"{result.Text}\"")}");
        }
    }

    private static void WriteDecision(TextWriter output, CheckOutcome outcome)
    {
        output.WriteLine("Decision: the rows of the decision table, in order, until one holds:");
        foreach (var rule in outcome.Decision.RulesConsidered)
        {
            var holds = ReferenceEquals(rule, outcome.Decision.Rule);
            output.WriteLine($"  {rule.When.ToToken(),-18} {(holds ? $"holds -> {Decision.Token(rule.Verdict)}, {Decision.Token(outcome.Decision.EnforcedAction)}" : "does not hold")}");
        }

        output.WriteLine($"  => {HumanReport.DescribeDecision(outcome.Decision)}");
        output.WriteLine($"     because {outcome.Decision.Reason}");
    }

    private static string Route(RegistrationRoute via) => via switch
    {
        RegistrationRoute.MailFrom => "MAIL FROM domain",
        RegistrationRoute.Helo => "HELO name",
        _ => "confirmed PTR name",
    };

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
