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
        ArgumentNullException.ThrowIfNull(outcome);
        var spf = outcome.MailFromSpf;
        var request = outcome.Request;
        var identity = request.Sender.IsNull ? "helo" : "mailfrom";
        var text = new StringBuilder("Received-SPF: ").Append(spf.Code.ToToken())
            .Append(" (").Append(UntrustedText.Comment(receiver)).Append(": ").Append(UntrustedText.Comment(Describe(spf, request.Client.ToString())));
        if (note is not null)
        {
            text.Append("; ").Append(UntrustedText.Comment(note));
        }

        return text.Append(") receiver=").Append(UntrustedText.Quote(receiver))
            .Append("; client-ip=").Append(request.Client)
            .Append("; envelope-from=").Append(UntrustedText.Quote(request.Sender.Text))
            .Append("; helo=").Append(UntrustedText.Quote(request.Helo.Text))
            .Append("; identity=").Append(identity).Append(';').ToString();
    }

    private static string Describe(SpfResult spf, string ip) => spf.Code switch
    {
        SpfResultCode.Pass => $"domain of {spf.Domain} designates {ip} as permitted sender",
        SpfResultCode.Fail => $"domain of {spf.Domain} does not designate {ip} as permitted sender",
        SpfResultCode.SoftFail => $"domain of transitioning {spf.Domain} does not designate {ip} as permitted sender",
        SpfResultCode.Neutral => $"{ip} is neither permitted nor denied by domain of {spf.Domain}",
        SpfResultCode.None => $"domain of {spf.Domain} does not provide an SPF record",
        SpfResultCode.TempError => $"error in processing during lookup of {spf.Domain}",
        _ => $"permanent error in processing domain of {spf.Domain}",
    };
}
