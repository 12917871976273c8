namespace Vouch.Cli.Replay;

/// <summary>The SMTP client as Postfix logs it: "name[address]", with ":port" when smtpd_client_port_logging = yes.</summary>
internal sealed record PostfixClient(string Name, string Address)
{
    /// <summary>Reads "name[address]" or "name[address]:port" (the whole of <paramref name="text"/>); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PostfixClient? client)
    {
        client = null;
        var open = text.IndexOf('[');
        if (open <= 0)
        {
            return false;
        }

        var close = text[open..].IndexOf(']');
        if (close < 0)
        {
            return false;
        }

        close += open;
        var address = text[(open + 1)..close];
        var rest = text[(close + 1)..];
        if (address.IsEmpty || address.ContainsAny(' ', '[') || (!rest.IsEmpty && !IsPort(rest)))
        {
            return false;
        }

        client = new PostfixClient(text[..open].ToString(), address.ToString());
        return true;
    }

    private static bool IsPort(ReadOnlySpan<char> text) =>
        text.Length is > 1 and <= 6 && text[0] == ':' && !text[1..].ContainsAnyExceptInRange('0', '9');
}
