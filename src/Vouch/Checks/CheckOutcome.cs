using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>Everything one check found about a request.</summary>
/// <param name="Request">The request checked.</param>
/// <param name="MailFromSpf">SPF for the MAIL FROM identity (the HELO name standing in for a bounce).</param>
/// <param name="HeloSpf">SPF for the HELO identity.</param>
public sealed record CheckOutcome(CheckRequest Request, SpfResult MailFromSpf, SpfResult HeloSpf);
