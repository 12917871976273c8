using Vouch.Policy;
using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>Everything one check found about a request, and what was decided.</summary>
/// <param name="Evidence">What the checks found.</param>
/// <param name="Decision">The verdict, the action and why.</param>
public sealed record CheckOutcome(Evidence Evidence, Decision Decision)
{
    /// <summary>The request checked.</summary>
    public CheckRequest Request => Evidence.Request;

    /// <summary>SPF for the MAIL FROM identity.</summary>
    public SpfResult MailFromSpf => Evidence.MailFromSpf;

    /// <summary>SPF for the HELO identity.</summary>
    public SpfResult HeloSpf => Evidence.HeloSpf;
}
