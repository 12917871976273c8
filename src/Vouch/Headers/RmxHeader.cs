using System.Globalization;
using System.Net;
using Vouch.Rmx;
using Vouch.Text;

namespace Vouch.Headers;

/// <summary>The X-RMX header field of draft §8: <c>X-RMX: RESULT addr ADDRESS by HOST on DATE mechanism MECHANISM</c>.</summary>
public static class RmxHeader
{
    private const int MaxMechanismLength = 300;

    /// <summary>Formats the field (name included), with the date in RFC 5322 form.</summary>
    /// <param name="result">The RMX result.</param>
    /// <param name="client">The client's address.</param>
    /// <param name="host">The receiving host that ran the check.</param>
    /// <param name="date">When it ran.</param>
    public static string Format(RmxResult result, IPAddress client, string host, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(client);
        var mechanism = result.Entry ?? (result.Code == RmxResultCode.NoRmx ? "none" : "default");
        return string.Create(CultureInfo.InvariantCulture,
            $"X-RMX: {result.Token} addr {client} by {host} on {date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)}{date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal)} mechanism {UntrustedText.Line(mechanism, MaxMechanismLength)}");
    }
}
