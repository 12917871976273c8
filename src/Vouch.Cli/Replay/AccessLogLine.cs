using System.Buffers;

namespace Vouch.Cli.Replay;

/// <summary>
/// What an access action logs, after "QUEUEID: " (or "NOQUEUE: "). smtpd writes
/// "ACTION: WHERE from NAME[ADDR]: TEXT; from=&lt;S&gt; to=&lt;R&gt; proto=P helo=&lt;H&gt;" (each of the last four only when
/// known), for reject, and for warn, info, hold, filter, discard, redirect and — with
/// smtpd_log_access_permit_actions (Postfix 2.10 and later) — permit actions; cleanup writes header and body
/// actions as "ACTION: header NAME: VALUE from NAME[ADDR]; from=&lt;S&gt; to=&lt;R&gt; proto=P helo=&lt;H&gt;: TEXT".
/// </summary>
/// <remarks>
/// Sender, recipient and HELO are the client's own words, and Postfix does not quote its separators in them, so
/// the log is ambiguous where a sender or recipient contains "&gt; to=&lt;": the sender then ends at the first such
/// separator. The HELO is found from the end (Postfix 3.x logs it with '?' for spaces, so it holds no " helo=&lt;").
/// </remarks>
internal sealed record AccessLogLine(string Action, string Where, PostfixClient Client, string Text, string? Sender, string? Helo)
{
    private static readonly SearchValues<char> ActionCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz_-");

    /// <summary>Whether the action refuses (a reply that ends the transaction or the recipient, 4xx or 5xx).</summary>
    public bool Refuses => Action is "reject" or "milter-reject";

    /// <summary>Whether <paramref name="text"/> (after the queue id) begins like an access action: "word: ".</summary>
    public static bool HasAction(string text)
    {
        var actionEnd = text.AsSpan().IndexOf(": ", StringComparison.Ordinal);
        return actionEnd is > 0 and <= 24 && !text.AsSpan(0, actionEnd).ContainsAnyExcept(ActionCharacters);
    }

    /// <summary>Reads the part of the message after the queue id and ": "; false when it is not an access action line.</summary>
    public static bool TryParse(string text, out AccessLogLine? line)
    {
        line = null;
        if (!HasAction(text))
        {
            return false;
        }

        var span = text.AsSpan();
        var actionEnd = span.IndexOf(": ", StringComparison.Ordinal);

        var action = span[..actionEnd].ToString();
        span = span[(actionEnd + 2)..];
        var whereEnd = span.IndexOf(' ');
        if (whereEnd <= 0)
        {
            return false;
        }

        var where = span[..whereEnd].ToString();
        return where is "header" or "body"
            ? TryParseCleanup(action, where, span[(whereEnd + 1)..], out line)
            : TryParseSmtpd(action, where, span[(whereEnd + 1)..], out line);
    }

    private static bool TryParseSmtpd(string action, string where, ReadOnlySpan<char> span, out AccessLogLine? line)
    {
        line = null;
        const string From = "from ";
        var clientEnd = span.IndexOf(": ", StringComparison.Ordinal);
        if (!span.StartsWith(From, StringComparison.Ordinal) || clientEnd < From.Length
            || !PostfixClient.TryParse(span[From.Length..clientEnd], out var client))
        {
            return false;
        }

        span = span[(clientEnd + 2)..];
        var tail = span.IndexOf("; from=<", StringComparison.Ordinal);
        if (tail < 0)
        {
            // No sender yet (a refusal at CONNECT or HELO): "TEXT;" and perhaps " proto=P helo=<H>".
            tail = span.LastIndexOf(';');
            if (tail < 0)
            {
                return false;
            }
        }

        var reply = span[..tail].TrimEnd(' ').ToString();
        ReadFields(span[(tail + 1)..], out var sender, out var helo);
        line = new AccessLogLine(action, where, client!, reply, sender, helo);
        return true;
    }

    private static bool TryParseCleanup(string action, string where, ReadOnlySpan<char> span, out AccessLogLine? line)
    {
        line = null;
        // "NAME: VALUE from NAME[ADDR]; from=<S> ... helo=<H>: TEXT" (cleanup(8) truncates NAME: VALUE to 200 characters).
        var tail = span.IndexOf("; from=<", StringComparison.Ordinal);
        if (tail < 0)
        {
            return false;
        }

        var clientStart = span[..tail].LastIndexOf(" from ", StringComparison.Ordinal);
        if (clientStart < 0 || !PostfixClient.TryParse(span[(clientStart + 6)..tail], out var client))
        {
            return false;
        }

        var fields = span[(tail + 1)..];
        var reply = "";
        var textStart = fields.LastIndexOf(">: ", StringComparison.Ordinal);
        if (textStart >= 0)
        {
            reply = fields[(textStart + 3)..].ToString();
            fields = fields[..(textStart + 1)];
        }

        ReadFields(fields, out var sender, out var helo);
        line = new AccessLogLine(action, where, client!, reply, sender, helo);
        return true;
    }

    /// <summary>Reads " from=&lt;S&gt;[ to=&lt;R&gt;][ proto=P][ helo=&lt;H&gt;]", each part optional.</summary>
    private static void ReadFields(ReadOnlySpan<char> fields, out string? sender, out string? helo)
    {
        sender = null;
        helo = null;
        const string Helo = " helo=<";
        var heloStart = fields.LastIndexOf(Helo, StringComparison.Ordinal);
        if (heloStart >= 0 && fields.EndsWith(">", StringComparison.Ordinal))
        {
            helo = fields[(heloStart + Helo.Length)..^1].ToString();
            fields = fields[..heloStart];
        }

        var protoStart = fields.LastIndexOf(" proto=", StringComparison.Ordinal);
        if (protoStart >= 0 && !fields[(protoStart + 7)..].ContainsAnyExceptInRange('A', 'Z'))
        {
            fields = fields[..protoStart];
        }

        const string From = " from=<";
        if (!fields.StartsWith(From, StringComparison.Ordinal))
        {
            return;
        }

        fields = fields[From.Length..];
        var toStart = fields.IndexOf("> to=<", StringComparison.Ordinal);
        if (toStart >= 0)
        {
            sender = fields[..toStart].ToString();
        }
        else if (fields.EndsWith(">", StringComparison.Ordinal))
        {
            sender = fields[..^1].ToString();
        }
    }
}
