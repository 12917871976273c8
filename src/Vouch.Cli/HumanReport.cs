using Vouch.Checks;
using Vouch.Spf;

namespace Vouch.Cli;

/// <summary>A short summary of a check for a person.</summary>
internal static class HumanReport
{
    public static void Write(TextWriter output, CheckOutcome outcome)
    {
        var request = outcome.Request;
        output.WriteLine($"client {request.Client}, HELO {request.Helo}, MAIL FROM <{request.Sender}>");
        WriteSpf(output, "SPF MAIL FROM", outcome.MailFromSpf);
        WriteSpf(output, "SPF HELO     ", outcome.HeloSpf);
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
        return $"{result.Code.ToToken()} for {result.Domain} ({reason}; {result.DnsLookups} DNS lookups, {result.VoidLookups} void)";
    }

    private static void WriteSpf(TextWriter output, string label, SpfResult result) =>
        output.WriteLine($"{label}: {Describe(result)}");
}
