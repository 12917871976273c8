using System.Net;

namespace Vouch.Reputation;

/// <summary>Which rows a report or a delivery charges, from what was verified at delivery.</summary>
public static class ReputationCharges
{
    /// <summary>The share of a shared vouch that reaches the owner's own row (RMX draft §11.1.1: customers of one relay can use each other's domains).</summary>
    public const double SharedOwnerShare = 0.25;

    /// <summary>
    /// The rows of a vouch: (owner, via) fully, and when the vouch went through another organisation also (owner, -) at a quarter. For a
    /// big shared provider the owner-level rows stop at suspect, and the sender's own sub-row, when the ticket
    /// names one, is charged fully and may block.
    /// </summary>
    public static IReadOnlyList<ReputationCharge> ForVouch(string owner, string? via, VouchStrength strength, string senderHash, ReputationOptions options, bool seenAsProvider = false)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(options);
        var provider = seenAsProvider || options.IsProvider(owner);
        var charges = new List<ReputationCharge>(3);
        if (provider && senderHash.Length > 0)
        {
            charges.Add(new ReputationCharge(ReputationKey.ForOwner(owner, via, senderHash), 1, CapAtSuspect: false));
        }

        charges.Add(new ReputationCharge(ReputationKey.ForOwner(owner, via), 1, provider));
        if (via is not null && via != Vouching.NoVia)
        {
            charges.Add(new ReputationCharge(ReputationKey.ForOwner(owner), SharedOwnerShare, provider));
        }

        return charges;
    }

    /// <summary>The one row of mail no domain vouched for: the client's /32 or /64.</summary>
    public static IReadOnlyList<ReputationCharge> ForClient(IPAddress client) => [new ReputationCharge(ReputationKey.ForClient(client), 1, CapAtSuspect: false)];
}
