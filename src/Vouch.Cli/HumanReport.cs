using Vouch.Checks;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Text;

namespace Vouch.Cli;

/// <summary>A short summary of a check for a person.</summary>
internal static class HumanReport
{
    public static void Write(TextWriter output, CheckOutcome outcome)
    {
        var request = outcome.Request;
        var evidence = outcome.Evidence;
        var decision = outcome.Decision;
        output.WriteLine($"client {request.Client}, {(request.Helo.Kind == HeloNameKind.Missing ? "no HELO" : "HELO " + request.Helo.Text)}, MAIL FROM <{request.Sender.Text}>");
        output.WriteLine($"Identities   : {DescribeIdentities(outcome)}");
        output.WriteLine($"SPF MAIL FROM: {Asked(evidence, EvidencePieces.MailFromSpf, () => Describe(evidence.MailFromSpf))}");
        output.WriteLine($"SPF HELO     : {Asked(evidence, EvidencePieces.HeloSpf, () => Describe(evidence.HeloSpf))}");
        output.WriteLine($"Registration : {Asked(evidence, EvidencePieces.Registration, () => Describe(evidence.Registration))}");
        output.WriteLine($"FCrDNS       : {Asked(evidence, EvidencePieces.Fcrdns, () => Describe(evidence.Fcrdns))}");
        output.WriteLine($"Lists        : {Asked(evidence, EvidencePieces.Lists, () => DescribeLists(evidence))}");
        output.WriteLine($"RMX          : {Asked(evidence, EvidencePieces.Rmx, () => Describe(evidence.Rmx))}");
        output.WriteLine($"Verdict      : {DescribeDecision(decision)}");
        output.WriteLine($"Reason       : {decision.Reason}");
    }

    /// <summary>The description of a piece, or why it is missing: the decision did not need it.</summary>
    private static string Asked(Evidence evidence, EvidencePieces piece, Func<string> describe) =>
        evidence.WasAsked(piece) ? describe() : Evidence.NotAskedReason;

    /// <summary>What the HELO and the sender are, with the identity rows that hold.</summary>
    public static string DescribeIdentities(CheckOutcome outcome)
    {
        var request = outcome.Request;
        var helo = request.Helo.Kind switch
        {
            HeloNameKind.Domain => "HELO is a domain",
            HeloNameKind.AddressLiteral => "HELO is an address literal",
            HeloNameKind.Missing => "no HELO",
            _ => $"HELO malformed ({request.Helo.Problem})",
        };
        var sender = request.Sender.Kind switch
        {
            ReversePathKind.Null => "null sender (a bounce)",
            ReversePathKind.Mailbox => "sender is a mailbox",
            _ => $"sender malformed ({request.Sender.Problem})",
        };
        var findings = PolicyEngine.IdentityFindings(outcome.Evidence);
        return $"{helo}; {sender}" + (findings.Count == 0 ? "" : $" [{string.Join(", ", findings.Select(RuleConditionExtensions.ToToken))}]");
    }

    /// <summary>Writes a report line by line through <see cref="UntrustedText.Visible"/>: every text in it may come from a client or from DNS.</summary>
    public static void WriteVisibly(TextWriter output, Action<TextWriter> write)
    {
        using var report = new StringWriter();
        write(report);
        var text = report.ToString();
        if (text.EndsWith(report.NewLine, StringComparison.Ordinal))
        {
            text = text[..^report.NewLine.Length];
        }

        foreach (var line in text.Split(report.NewLine))
        {
            output.WriteLine(UntrustedText.Visible(line));
        }
    }

    public static string Describe(SpfResult result)
    {
        var reason = result.Code switch
        {
            SpfResultCode.Pass or SpfResultCode.SoftFail or SpfResultCode.Neutral when result.Mechanism is not null => $"matched {result.Mechanism}",
            SpfResultCode.Neutral => "no term matched",
            SpfResultCode.Fail => $"matched {result.Mechanism}: {result.Explanation}",
            _ => result.Problem ?? "",
        };
        return $"{result.Code.ToToken()}{(result.Domain.Length > 0 ? " for " + result.Domain : "")} ({reason}; {result.DnsLookups} DNS lookups, {result.VoidLookups} void)";
    }

    public static string Describe(RegistrationResult result) => result.Code switch
    {
        RegistrationResultCode.Registered =>
            $"registered: MX host {result.MxHost} (preference {result.Preference}{(result.IsLowestPriority == true ? ", lowest priority" : "")}) of {result.Domain}, owner {result.Owner}, via {Via(result.Via)}",
        RegistrationResultCode.TempError => $"temperror: {result.Problem}",
        RegistrationResultCode.Off => "off: MX registration checking is turned off",
        _ => result.Candidates.Count == 0
            ? "unregistered: the client presented no domain to check"
            : $"unregistered: not an MX host of {string.Join(", ", result.Candidates.Select(c => c.Domain))}{(result.SenderHasNullMx ? " (the sender domain has a Null MX)" : "")}",
    };

    public static string Describe(FcrdnsResult result) => result.Code switch
    {
        FcrdnsResultCode.Pass => $"pass ({string.Join(", ", result.ConfirmedNames)})",
        FcrdnsResultCode.Fail => $"fail: PTR {string.Join(", ", result.PtrNames)} do not resolve back to the client",
        FcrdnsResultCode.None => "none: no PTR record",
        FcrdnsResultCode.Off => "off: reverse DNS is not looked up (MX registration is turned off)",
        _ => $"temperror: {result.Problem}",
    };

    public static string Describe(Vouch.Rmx.RmxResult result) =>
        result.Token + (result.Domain.Length > 0 ? $" for {result.Domain}" : "") + (result.Entry is null ? "" : $" ({result.Entry})") + (result.Problem is null ? "" : $": {result.Problem}");

    public static string DescribeLists(Evidence evidence)
    {
        var parts = new List<string>();
        if (evidence.Allowed is { } allowed)
        {
            parts.Add($"allowed: {allowed.Subject} ({allowed.List}: {allowed.Entry})");
        }

        if (evidence.Blocked is { } blocked)
        {
            parts.Add($"blocked: {blocked.Subject} ({blocked.List}: {blocked.Entry})");
        }

        var dns = evidence.DnsLists.Count;
        if (dns > 0)
        {
            parts.Add($"{dns} DNS list queries");
        }

        return parts.Count == 0 ? "no list matched" : string.Join("; ", parts);
    }

    public static string DescribeDecision(Decision decision)
    {
        var verdict = Decision.Token(decision.Verdict).ToUpperInvariant();
        return decision.Mode == PolicyMode.Monitor && decision.Action != decision.EnforcedAction
            ? $"{verdict}, {Decision.Token(decision.Action)} (monitor mode; enforcement would {Decision.Token(decision.EnforcedAction)}: {decision.SmtpReply})"
            : $"{verdict}, {Decision.Token(decision.Action)}{(decision.SmtpReply is null ? "" : $": {decision.SmtpReply}")} ({Decision.Token(decision.Mode)} mode)";
    }

    private static string Via(RegistrationRoute? via) => via switch
    {
        RegistrationRoute.MailFrom => "MAIL FROM",
        RegistrationRoute.Helo => "HELO",
        RegistrationRoute.Ptr => "PTR",
        _ => "",
    };
}
