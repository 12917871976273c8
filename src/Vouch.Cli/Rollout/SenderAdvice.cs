using System.Net;
using System.Net.Sockets;
using Vouch.DecisionLog;
using Vouch.Policy;

namespace Vouch.Cli.Rollout;

/// <summary>What a refused sender could publish so that enforcement accepts it, and whom to tell: from one recorded decision.</summary>
internal static class SenderAdvice
{
    /// <summary>The fix for the sender of <paramref name="record"/>, in one sentence with the records to publish.</summary>
    public static string Fix(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var evidence = record.Evidence;
        var ip = record.Client;
        var term = IPAddress.TryParse(ip, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"ip6:{ip}" : $"ip4:{ip}";
        var domain = evidence?.MailFromSpf.Domain is { Length: > 0 } d ? d : record.Helo;
        var host = evidence?.Fcrdns.ConfirmedNames is [var confirmed, ..] ? confirmed : (record.Helo.Length > 0 ? record.Helo : "the server's name");
        var lowMx = $"or register the server as a low-priority MX host ({domain}. MX 100 {host}.; it will then receive inbound attempts and must accept them)";
        return record.Rule switch
        {
            RuleCondition.SpfNone => $"publish SPF for {domain} ({domain}. TXT \"v=spf1 {term} -all\"), {lowMx}",
            RuleCondition.SpfSoftFail or RuleCondition.SpfNeutral => $"add {term} to the SPF record of {domain} before its {(record.Rule == RuleCondition.SpfSoftFail ? "~all" : "?all")}, {lowMx}",
            RuleCondition.SpfFail => $"if {ip} sends for {domain}, add {term} to its SPF record; otherwise this mail is forged and refusing it is right",
            RuleCondition.SpfPermError => $"repair the SPF record of {domain} ({evidence?.MailFromSpf.Problem ?? "it does not parse"}), then list {term} in it",
            RuleCondition.NullMxSender => $"{domain} publishes a Null MX (RFC 7505: it sends no mail); remove it if the domain does send, or use another MAIL FROM domain",
            RuleCondition.RmxDenied => $"add {ip} to the RMX records of {evidence?.Rmx.Domain ?? domain}, or remove them",
            RuleCondition.BlockListed => $"have {ip} delisted ({evidence?.Blocked?.List ?? "the block list"}: {evidence?.Blocked?.Entry ?? record.Reason})",
            RuleCondition.FcrdnsFail => $"ask the address's provider for a PTR record naming {host}, and publish {host}. {(term.StartsWith("ip6", StringComparison.Ordinal) ? "AAAA" : "A")} {ip}",
            RuleCondition.TemporaryFailure => $"make the DNS of {domain} answer ({evidence?.MailFromSpf.Problem ?? evidence?.Registration.Problem ?? record.Reason})",
            RuleCondition.HeloMissing or RuleCondition.HeloMalformed or RuleCondition.HeloLiteralMismatch => $"configure the server to greet with its own host name (EHLO {host}) and publish SPF for that name ({host}. TXT \"v=spf1 a -all\")",
            RuleCondition.SenderMalformed => "send with a valid MAIL FROM address",
            _ => $"publish SPF for {domain} listing {term}, or SPF for the HELO name {(record.Helo.Length > 0 ? record.Helo : host)} (TXT \"v=spf1 a -all\"), {lowMx}",
        };
    }

    /// <summary>Whom to tell: postmaster@ the domain (RFC 5321 §4.5.1 makes every domain that sends receive it).</summary>
    public static string Tell(string domain) => domain.Length > 0 && domain.Contains('.', StringComparison.Ordinal) ? $"postmaster@{domain}" : "";
}
