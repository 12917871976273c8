using System.Globalization;
using System.Net;
using Vouch.Reputation;

namespace Vouch.ReputationLoad;

/// <summary>
/// The reports of one run, made before the clock starts: report i is a spam report by a reporter of its own
/// ("bench-RUN-i@reporters.example") about a message of its own (a ticket signed now, with its own id) vouched for
/// by owner i mod K ("o&lt;j&gt;.RUN.example", via its own SPF record, strong) from a client address of its own.
/// With K = N every owner gets one report and no row changes state; with fewer owners each gets N/K reports from
/// N/K reporters, so it turns suspect at its third report and blocked at its sixth (the default thresholds: five
/// reports a few seconds apart have decayed to just under the 5 units that block).
/// </summary>
internal sealed class ReportWorkload
{
    private ReportWorkload(string[] tickets, string[] reporters, int owners)
    {
        Tickets = tickets;
        Reporters = reporters;
        Owners = owners;
    }

    /// <summary>The Vouch-Ticket header values, one a report.</summary>
    public string[] Tickets { get; }

    /// <summary>The reporters, one a report.</summary>
    public string[] Reporters { get; }

    /// <summary>How many owners the reports are spread over.</summary>
    public int Owners { get; }

    /// <summary>How many reports.</summary>
    public int Count => Tickets.Length;

    /// <summary>Signs <paramref name="reports"/> tickets over <paramref name="owners"/> owners.</summary>
    public static ReportWorkload Make(TicketSigner signer, int reports, int owners, string run)
    {
        var tickets = new string[reports];
        var reporters = new string[reports];
        for (var i = 0; i < reports; i++)
        {
            var owner = Owner(run, i % owners);
            var vouching = new Vouching(owner, null, VouchMethod.Spf, VouchStrength.Strong, owner, "ip4:198.18.0.0/15");
            var client = new IPAddress([198, (byte)(18 + ((i >> 16) & 1)), (byte)(i >> 8), (byte)i]);
            tickets[i] = signer.Format(signer.Issue(vouching, client, ""));
            reporters[i] = string.Create(CultureInfo.InvariantCulture, $"bench-{run}-{i}@reporters.example");
        }

        return new ReportWorkload(tickets, reporters, owners);
    }

    /// <summary>The name of owner number <paramref name="number"/> of run <paramref name="run"/>.</summary>
    public static string Owner(string run, int number) => string.Create(CultureInfo.InvariantCulture, $"o{number}.{run}.example");
}
