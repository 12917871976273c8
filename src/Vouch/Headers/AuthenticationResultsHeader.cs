using System.Text;
using Vouch.Checks;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Text;

namespace Vouch.Headers;

/// <summary>
/// The Authentication-Results header field (RFC 8601): the spf method for the MAIL FROM and HELO
/// identities (§2.7.2), iprev for FCrDNS (§2.7.3), and Vouch's registration verdict as a comment (it has
/// no registered method). Client-supplied text appears only as escaped property values or comments.
/// </summary>
public static class AuthenticationResultsHeader
{
    /// <summary>Formats the field, name included.</summary>
    /// <param name="outcome">The check.</param>
    /// <param name="authservId">This receiver's authserv-id (usually its host name).</param>
    /// <param name="note">A comment on the verdict (e.g. what enforcement would do), or null.</param>
    public static string Format(CheckOutcome outcome, string authservId, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var evidence = outcome.Evidence;
        var request = outcome.Request;
        var text = new StringBuilder("Authentication-Results: ").Append(UntrustedText.Token(authservId));
        if (!request.Sender.IsNull)
        {
            text.Append("; spf=").Append(evidence.MailFromSpf.Code.ToToken()).Append(" smtp.mailfrom=").Append(Value(request.Sender.Text));
        }

        if (evidence.HeloSpf.WasChecked && request.Helo.Kind != HeloNameKind.Missing)
        {
            text.Append("; spf=").Append(evidence.HeloSpf.Code.ToToken()).Append(" smtp.helo=").Append(Value(request.Helo.Text));
        }

        // RFC 8601 §2.7.3: fail when the names found do not confirm; permerror when no PTR data are published.
        var iprev = evidence.Fcrdns.Code switch
        {
            FcrdnsResultCode.Pass => "pass",
            FcrdnsResultCode.Fail => "fail",
            FcrdnsResultCode.None => "permerror",
            FcrdnsResultCode.Off => null,
            _ => "temperror",
        };
        if (iprev is not null)
        {
            text.Append("; iprev=").Append(iprev).Append(" policy.iprev=").Append(request.Client);
            if (evidence.Fcrdns.ConfirmedNames.Count > 0)
            {
                text.Append(" (").Append(UntrustedText.Comment(evidence.Fcrdns.ConfirmedNames[0])).Append(')');
            }
        }

        text.Append(" (vouch: registration ").Append(evidence.Registration.Token);
        if (evidence.Registration.Domain is { } domain)
        {
            text.Append(" by ").Append(UntrustedText.Comment(domain));
        }

        text.Append(", verdict ").Append(Decision.Token(outcome.Decision.Verdict));
        if (note is not null)
        {
            text.Append("; ").Append(UntrustedText.Comment(note));
        }

        return text.Append(')').ToString();
    }

    /// <summary>A property value: as is when it is a plain token, otherwise a quoted-string with '"' and '\' escaped.</summary>
    private static string Value(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or '+')
            ? value
            : UntrustedText.Quote(value);
}
