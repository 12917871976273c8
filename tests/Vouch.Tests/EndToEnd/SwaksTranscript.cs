namespace Vouch.Tests.EndToEnd;

/// <summary>What swaks printed for one SMTP session: " -> " lines sent, "&lt;- " and "&lt;** " lines received.</summary>
internal sealed record SwaksTranscript(string Text)
{
    /// <summary>The server's reply to each RCPT TO, in order (e.g. "250 2.1.5 Ok", "550 5.7.1 …").</summary>
    public IReadOnlyList<string> RecipientReplies
    {
        get
        {
            var lines = Text.Split('\n');
            var replies = new List<string>();
            for (var i = 0; i < lines.Length - 1; i++)
            {
                if (lines[i].TrimStart().StartsWith("-> RCPT TO:", StringComparison.Ordinal))
                {
                    replies.Add(ReplyText(lines[i + 1]));
                }
            }

            return replies;
        }
    }

    private static string ReplyText(string line)
    {
        var trimmed = line.TrimEnd('\r');
        return trimmed.StartsWith("<** ", StringComparison.Ordinal) ? trimmed[4..]
            : trimmed.StartsWith("<-  ", StringComparison.Ordinal) ? trimmed[4..]
            : trimmed;
    }

    public override string ToString() => Text;
}
