using System.Net;
using Vouch.Dns;
using Vouch.Network;
using Vouch.Policy;
using Vouch.Spf;

namespace Vouch.Configuration;

/// <summary>Reads the strings of single settings (<see cref="TextParser{T}"/>s), each saying what is wrong and what was expected.</summary>
internal static class SettingText
{
    private const int DnsPort = 53;

    // DNS list answers are A records (RFC 5782 §2.1), so only IPv4 networks.
    public static bool TryParseIPv4Network(string text, out AddressPrefix prefix, out string problem)
    {
        if (!AddressPrefix.TryParse(text, out prefix, out problem))
        {
            return false;
        }

        if (prefix.Family != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            problem = $"'{text}' is an IPv6 network; DNS list answers are A records, so expected an IPv4 network such as 127.0.0.0/8";
            return false;
        }

        return true;
    }

    public static bool TryParseServer(string text, out IPEndPoint value, out string problem)
    {
        var ok = EndpointText.TryParse(text, DnsPort, out var endpoint, out var error);
        value = endpoint!;
        problem = error ?? "";
        return ok;
    }

    public static bool TryParseExplanation(string text, out string value, out string problem)
    {
        value = text;
        problem = "";
        if (MacroString.TryParse(text, 1, isExplanation: true, out _, out var error))
        {
            return true;
        }

        problem = $"is not an SPF explain-string (RFC 7208 §6.2): {error}";
        return false;
    }

    public static bool TryParseListen(string text, out EndPoint value, out string problem)
    {
        var valid = ListenAddress.TryParse(text, PolicyServerOptions.DefaultPort, out var endpoint, out problem);
        value = endpoint!;
        return valid;
    }

    public static bool TryParseMilterListen(string text, out EndPoint value, out string problem)
    {
        var valid = ListenAddress.TryParse(text, MilterOptions.DefaultPort, out var endpoint, out problem);
        value = endpoint!;
        return valid;
    }

    public static bool TryParseMilterHeader(string text, out TagHeader value, out string problem)
    {
        var found = ConfigurationWords.MilterHeaders.FirstOrDefault(word => word.Word == text);
        value = found.Value;
        problem = found.Word is null ? $"'{text}' is not a header; expected {TableReader.Alternatives(ConfigurationWords.MilterHeaders)}" : "";
        return found.Word is not null;
    }

    public static bool TryParseOptionalHostName(string text, out string? value, out string problem)
    {
        value = text.Length == 0 ? null : text;
        problem = "";
        return text.Length == 0 || TryParseHostName(text, out _, out problem);
    }

    public static bool TryParseMetricsListen(string text, out IPEndPoint? value, out string problem)
    {
        value = null;
        var valid = text.Length == 0 || EndpointText.TryParse(text, PolicyServerOptions.DefaultMetricsPort, out value, out _);
        problem = valid ? "" : "is not HOST:PORT (an IP address and a port), or \"\" to turn the endpoint off";
        return valid;
    }

    public static bool TryParseFileMode(string text, out UnixFileMode value, out string problem)
    {
        var valid = text.Length is >= 3 and <= 4 && text.All(c => c is >= '0' and <= '7');
        value = valid ? (UnixFileMode)Convert.ToInt32(text, 8) : default;
        problem = valid ? "" : $"'{text}' is not a file mode; expected octal permissions such as \"0660\"";
        return valid;
    }

    public static string FileMode(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    // Our own domains have MX records, so a name of one label is a mistake here.
    public static bool TryParseMultiLabelDomain(string text, out string value, out string problem)
    {
        var valid = DomainNameText.TryParse(text, out var domain, out _) && domain.Contains('.', StringComparison.Ordinal);
        value = valid ? domain : text;
        problem = valid ? "" : $"'{text}' is not a domain name; expected a name such as example.org";
        return valid;
    }

    // Written into headers as given, so no IDN conversion; the DNS's bounds still hold.
    public static bool TryParseHostName(string text, out string value, out string problem)
    {
        value = text;
        if (text.Length == 0 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            problem = "is not a host name; expected letters, digits, '.', '-'";
            return false;
        }

        return DnsName.TryParse(text, out _, out problem);
    }

    // A Redis key prefix: the default "vouch:v1" has a colon, Redis's usual separator, so a host name is too narrow.
    // Braces are refused: the store puts {subject} after the prefix as the hash tag of a subject's keys, and Redis
    // Cluster takes the first {…} of a key as its tag.
    public static bool TryParseRedisPrefix(string text, out string value, out string problem)
    {
        value = text;
        var valid = text.Length is > 0 and <= 100 && text.All(c => c is > ' ' and < '\u007f' and not '{' and not '}');
        problem = valid ? "" : "is not a Redis key prefix; expected 1–100 printable ASCII characters without spaces or braces, such as \"vouch:v1\"";
        return valid;
    }

    public static bool TryParsePath(string text, out string value, out string problem)
    {
        value = text;
        problem = text.Length == 0 ? "is empty; expected the path of the Public Suffix List file" : "";
        return text.Length > 0;
    }

    public static bool TryParseOptionalPath(string text, out string? value, out string problem)
    {
        value = text.Length == 0 ? null : text;
        var valid = text.Length == 0 || Path.IsPathFullyQualified(text);
        problem = valid ? "" : $"'{text}' is not an absolute file path; expected a path such as \"/var/log/vouch/decisions.jsonl\", or \"\" for none";
        return valid;
    }

    public static bool TryParseTicketKey(string text, out byte[]? value, out string problem)
    {
        value = null;
        if (text.Length == 0)
        {
            problem = "";
            return true;
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        var valid = Convert.TryFromBase64String(text, buffer, out var written) && written >= 16;
        value = valid ? buffer[..written] : null;
        problem = valid ? "" : "is not a key of at least 16 bytes in base64 (make one with: head -c 32 /dev/urandom | base64), or \"\" for none";
        return valid;
    }

    public static string TicketKey(byte[]? key) => key is null ? "" : "(set)";

    public static bool TryParseAbsolutePath(string text, out string value, out string problem)
    {
        value = text;
        var valid = text.Length > 0 && Path.IsPathFullyQualified(text);
        problem = valid ? "" : $"'{text}' is not an absolute file path; expected a path such as \"/var/lib/vouch/reputation.db\"";
        return valid;
    }

    public static bool TryParseAnyText(string text, out string value, out string problem)
    {
        value = text;
        problem = "";
        return true;
    }

    public static bool TryParseMailbox(string text, out string value, out string problem)
    {
        var at = text.LastIndexOf('@');
        var valid = at > 0 && at < text.Length - 1 && !text.Any(char.IsWhiteSpace) && DomainNameText.TryParse(text[(at + 1)..], out _, out _);
        value = valid ? text.ToLowerInvariant() : text;
        problem = valid ? "" : $"'{text}' is not a mail address; expected local-part@domain";
        return valid;
    }

    public static bool TryParseMailboxOrDomain(string text, out string value, out string problem) =>
        text.Contains('@', StringComparison.Ordinal) ? TryParseMailbox(text, out value, out problem) : TryParseMultiLabelDomain(text, out value, out problem);

    public static bool TryParseReason(string text, out string value, out string problem)
    {
        value = text;
        return ReasonTemplate.IsValid(text, out problem);
    }
}
