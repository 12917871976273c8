using Vouch.Lists;
using Vouch.Policy;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>Everything one check found about a request, and what was decided.</summary>
/// <param name="Evidence">What the checks found.</param>
/// <param name="Decision">The verdict, the action and why.</param>
/// <param name="Policy">The policy that decided, for what each listing does (<see cref="PolicyEngine.ListingAction"/>).</param>
public sealed record CheckOutcome(Evidence Evidence, Decision Decision, PolicyOptions Policy)
{
    /// <summary>What <paramref name="listing"/>, the evidence's allow- or block-list match, makes Vouch do.</summary>
    public PolicyAction ListingAction(ListMatch listing) => PolicyEngine.ListingAction(Evidence, listing, Policy);

    /// <summary>The request checked.</summary>
    public CheckRequest Request => Evidence.Request;

    /// <summary>SPF for the MAIL FROM identity.</summary>
    public SpfResult MailFromSpf => Evidence.MailFromSpf;

    /// <summary>SPF for the HELO identity.</summary>
    public SpfResult HeloSpf => Evidence.HeloSpf;
}
