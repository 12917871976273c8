using System.Text;
using Vouch.Checks;
using Vouch.Spf;
using Vouch.Text;

namespace Vouch.Headers;

/// <summary>
/// The Received-SPF header field (RFC 7208 §9.1), always with identity and envelope-from. Client-supplied
/// text (HELO, sender) goes only into quoted strings, escaped, on one line, so it cannot add fields or
/// key=value pairs.
/// </summary>
public static class ReceivedSpfHeader
{
    /// <summary>Formats the field, name included, for the MAIL FROM result of <paramref name="outcome"/>.</summary>
    /// <param name="outcome">The check.</param>
    /// <param name="receiver">This host's name, for the receiver= key and the comment.</param>
    /// <param name="note">An extra comment (e.g. what enforcement would do in monitor mode), or null.</param>
    public static string Format(CheckOutcome outcome, string receiver, string? note = null)
    {
        var text = new StringBuilder(256);
        AppendTo(text, outcome, receiver, note);
        return text.ToString();
    }

    /// <summary>Appends what <see cref="Format"/> returns to <paramref name="destination"/>, with no string of its own.</summary>
    /// <param name="destination">Where the field goes (e.g. after "PREPEND ").</param>
    /// <param name="outcome">The check.</param>
    /// <param name="receiver">This host's name, for the receiver= key and the comment.</param>
    /// <param name="note">An extra comment (e.g. what enforcement would do in monitor mode), or null.</param>
    public static void AppendTo(StringBuilder destination, CheckOutcome outcome, string receiver, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(receiver);
        var spf = outcome.MailFromSpf;
        var request = outcome.Request;
        var identity = request.Sender.IsNull ? "helo" : "mailfrom";
        var ip = request.Client.ToString();
        destination.Append("Received-SPF: ").Append(spf.Code.ToToken()).Append(" (");
        UntrustedText.AppendComment(destination, receiver);
        destination.Append(": ");
        AppendDescription(destination, spf, ip);
        if (note is not null)
        {
            destination.Append("; ");
            UntrustedText.AppendComment(destination, note);
        }

        destination.Append(") receiver=");
        UntrustedText.AppendQuoted(destination, receiver);
        destination.Append("; client-ip=").Append(ip).Append("; envelope-from=");
        UntrustedText.AppendQuoted(destination, request.Sender.Text);
        destination.Append("; helo=");
        UntrustedText.AppendQuoted(destination, request.Helo.Text);
        destination.Append("; identity=").Append(identity).Append(';');
    }

    /// <summary>The comment's description of the result, each part made safe for a comment as it is appended.</summary>
    private static void AppendDescription(StringBuilder destination, SpfResult spf, string ip)
    {
        var (before, between, after) = spf.Code switch
        {
            SpfResultCode.Pass => ("domain of ", " designates ", " as permitted sender"),
            SpfResultCode.Fail => ("domain of ", " does not designate ", " as permitted sender"),
            SpfResultCode.SoftFail => ("domain of transitioning ", " does not designate ", " as permitted sender"),
            SpfResultCode.Neutral => ("", " is neither permitted nor denied by domain of ", ""),
            SpfResultCode.None => ("domain of ", " does not provide an SPF record", null),
            SpfResultCode.TempError => ("error in processing during lookup of ", "", null),
            _ => ("permanent error in processing domain of ", "", null),
        };

        // Neutral names the address first; the others the domain first.
        var (first, second) = spf.Code == SpfResultCode.Neutral ? (ip, spf.Domain) : (spf.Domain, ip);
        destination.Append(before);
        UntrustedText.AppendComment(destination, first);
        destination.Append(between);
        if (after is not null)
        {
            UntrustedText.AppendComment(destination, second);
            destination.Append(after);
        }
    }
}
