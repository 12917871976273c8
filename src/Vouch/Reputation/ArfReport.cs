using System.Net;
using MimeKit;

namespace Vouch.Reputation;

/// <summary>
/// An abuse report in the Abuse Reporting Format (RFC 5965): who sent it, what it says (Feedback-Type), the
/// source address and MAIL FROM it names, and the Vouch-Ticket of the original message when its header came along.
/// </summary>
/// <param name="Reporter">The report's From address (lower case), or "".</param>
/// <param name="FeedbackType">RFC 5965 §3.5 Feedback-Type: abuse, fraud, virus, other, not-spam (lower case).</param>
/// <param name="SourceIp">Source-IP (§3.2), or null.</param>
/// <param name="OriginalMailFrom">Original-Mail-From (§3.2) without angle brackets, or "".</param>
/// <param name="Ticket">The topmost Vouch-Ticket of the original message, or "".</param>
/// <param name="OriginalMessageId">The original's Message-ID, or "" (the event id of a report without a ticket).</param>
public sealed record ArfReport(string Reporter, string FeedbackType, IPAddress? SourceIp, string OriginalMailFrom, string Ticket, string OriginalMessageId)
{
    /// <summary>What the report says: spam for abuse, fraud and virus; ham for not-spam; null for anything else (other, unknown).</summary>
    public ReportKind? Kind => FeedbackType switch
    {
        "abuse" or "fraud" or "virus" => ReportKind.Spam,
        "not-spam" => ReportKind.Ham,
        _ => null,
    };

    /// <summary>Reads an ARF message; null with why when it is not one (not multipart/report; report-type=feedback-report with a message/feedback-report part).</summary>
    public static async Task<(ArfReport? Report, string Problem)> ReadAsync(Stream message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        MimeMessage parsed;
        try
        {
            parsed = await MimeMessage.LoadAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException exception)
        {
            return (null, "not a message: " + exception.Message);
        }

        using (parsed)
        {
            if (parsed.Body is not MultipartReport report || !string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase))
            {
                return (null, "not an ARF report (RFC 5965 §2: multipart/report; report-type=feedback-report)");
            }

            HeaderList? fields = null;
            HeaderList? original = null;
            foreach (var part in report)
            {
                if (part is MessageFeedbackReport feedback)
                {
                    fields ??= feedback.Fields;
                }
                else if (part is MessagePart { Message: { } inner })
                {
                    original ??= inner.Headers;
                }
            }

            if (fields is null)
            {
                return (null, "the report has no message/feedback-report part (RFC 5965 §2 c)");
            }

            var reporter = parsed.From.Mailboxes.FirstOrDefault()?.Address.ToLowerInvariant() ?? "";
            var sourceIp = IPAddress.TryParse((fields["Source-IP"] ?? "").Trim(), out var address) ? address : null;
            var mailFrom = (fields["Original-Mail-From"] ?? "").Trim().Trim('<', '>');
            var ticket = original is not null && original.IndexOf(Vouch.Reputation.Ticket.HeaderName) is var index and >= 0 ? original[index].Value : "";
            var messageId = original?[HeaderId.MessageId]?.Trim() ?? "";
            return (new ArfReport(reporter, (fields["Feedback-Type"] ?? "").Trim().ToLowerInvariant(), sourceIp, mailFrom, ticket, messageId), "");
        }
    }

    /// <summary>Whether <see cref="Reporter"/> is one of <paramref name="trusted"/> (addresses, or domains matching the address's domain).</summary>
    public bool IsFrom(IReadOnlyList<string> trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var at = Reporter.LastIndexOf('@');
        var domain = at >= 0 ? Reporter[(at + 1)..] : "";
        return Reporter.Length > 0 && trusted.Any(entry => entry.Contains('@', StringComparison.Ordinal)
            ? string.Equals(entry, Reporter, StringComparison.OrdinalIgnoreCase)
            : string.Equals(entry, domain, StringComparison.OrdinalIgnoreCase));
    }
}
