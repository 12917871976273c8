using System.Globalization;
using System.Net;
using System.Text;

namespace Vouch.Reputation;

/// <summary>
/// What Vouch verified when it accepted a message, carried in the message's <c>Vouch-Ticket</c> header and
/// authenticated by <see cref="TicketSigner"/>, so that a later report charges exactly that and nothing a reporter
/// invents. Written as <c>v=1; t=…; o=owner; via=…; m=spf; s=strong; ip=…; n=node; id=…; mac=…</c>; <c>o=-</c>
/// when no domain vouched (the client's row is charged), <c>u=</c> a provider sender's hash, <c>p=1</c> a provider.
/// </summary>
/// <param name="IssuedAt">When the message was accepted (t=, Unix seconds).</param>
/// <param name="Owner">The vouching owner, or "-" (o=).</param>
/// <param name="Via">The via organisation, or "-" (via=).</param>
/// <param name="Method">How it vouched (m=): mx, spf, rmx, ptr, helo, or "-".</param>
/// <param name="Strength">strong, shared, weak, or "-" (s=).</param>
/// <param name="Client">The client address (ip=).</param>
/// <param name="Node">The node that accepted it (n=).</param>
/// <param name="Id">The ticket's id (id=): ten base32 characters.</param>
/// <param name="SenderHash">A provider sender's hash (u=), or "".</param>
public sealed record Ticket(DateTimeOffset IssuedAt, string Owner, string Via, string Method, string Strength, string Client, string Node, string Id, string SenderHash)
{
    /// <summary>Whether the owner was a big shared provider at delivery (p=1): its owner rows stop at suspect.</summary>
    public bool Provider { get; init; }

    /// <summary>The header's name.</summary>
    public const string HeaderName = "Vouch-Ticket";

    /// <summary>The version written and read.</summary>
    public const string Version = "1";

    /// <summary>The text the MAC covers: every field but mac=, in order.</summary>
    public string SignedText
    {
        get
        {
            var text = new StringBuilder(128)
                .Append("v=" + Version)
                .Append("; t=").Append(IssuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
                .Append("; o=").Append(Owner)
                .Append("; via=").Append(Via)
                .Append("; m=").Append(Method)
                .Append("; s=").Append(Strength)
                .Append("; ip=").Append(Client)
                .Append("; n=").Append(Node)
                .Append("; id=").Append(Id);
            if (SenderHash.Length > 0)
            {
                text.Append("; u=").Append(SenderHash);
            }

            if (Provider)
            {
                text.Append("; p=1");
            }

            return text.ToString();
        }
    }

    /// <summary>Whether a domain vouched (o= is not "-").</summary>
    public bool IsVouched => Owner != Vouching.NoVia;

    /// <summary>The rows a report about this message charges.</summary>
    public IReadOnlyList<ReputationCharge> Charges(ReputationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsVouched)
        {
            return IPAddress.TryParse(Client, out var client) ? ReputationCharges.ForClient(client) : [];
        }

        var strength = Strength switch { "strong" => VouchStrength.Strong, "weak" => VouchStrength.Weak, _ => VouchStrength.Shared };
        return ReputationCharges.ForVouch(Owner, Via == Vouching.NoVia ? null : Via, strength, SenderHash, options, Provider);
    }

    /// <summary>
    /// Reads a header value into its fields and its MAC; false (with why) when it is not a ticket of this
    /// version. Any text may arrive here: only the signer decides whether it is ours.
    /// </summary>
    public static bool TryParse(string text, out Ticket? ticket, out string mac, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ticket = null;
        mac = "";
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            var trimmed = part.Trim();
            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !fields.TryAdd(trimmed[..equals], trimmed[(equals + 1)..]))
            {
                problem = trimmed.Length == 0 ? "an empty field" : $"the field '{Shorten(trimmed)}' is not key=value, or repeats a key";
                return false;
            }
        }

        string Field(string key) => fields.TryGetValue(key, out var value) ? value : "";
        if (Field("v") != Version)
        {
            problem = $"version '{Shorten(Field("v"))}' is not {Version}";
            return false;
        }

        if (!long.TryParse(Field("t"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            problem = "t= is not a Unix time";
            return false;
        }

        string[] required = ["o", "via", "m", "s", "ip", "n", "id", "mac"];
        foreach (var key in required)
        {
            if (Field(key).Length == 0)
            {
                problem = $"{key}= is missing";
                return false;
            }
        }

        mac = Field("mac");
        ticket = new Ticket(DateTimeOffset.FromUnixTimeSeconds(seconds), Field("o"), Field("via"), Field("m"), Field("s"), Field("ip"), Field("n"), Field("id"), Field("u")) { Provider = Field("p") == "1" };
        problem = "";
        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
