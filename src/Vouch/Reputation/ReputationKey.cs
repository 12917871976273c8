using System.Net;
using System.Net.Sockets;

namespace Vouch.Reputation;

/// <summary>
/// One counter row: an owner with the organisation its vouch went through ("-" for its own records), and for a
/// big shared provider the sender's hashed local part; or a client address (/32 for IPv4, /64 for IPv6) that no
/// domain vouched for.
/// </summary>
/// <param name="Subject">The owner ("example.com"), or "ip:" and the client's network ("ip:192.0.2.1", "ip:2001:db8:1:2::/64").</param>
/// <param name="Via">The via organisation, or "-".</param>
/// <param name="Sender">For a provider's per-sender sub-row, the hash of the local part; otherwise "".</param>
public sealed record ReputationKey(string Subject, string Via, string Sender)
{
    private const string ClientPrefix = "ip:";

    /// <summary>The owner row (owner, via); <paramref name="via"/> null is the owner's own records.</summary>
    public static ReputationKey ForOwner(string owner, string? via = null, string sender = "") => new(owner, via ?? Vouching.NoVia, sender);

    /// <summary>The row of an unvouched client: its /32 (IPv4) or /64 (IPv6).</summary>
    public static ReputationKey ForClient(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        if (client.AddressFamily == AddressFamily.InterNetwork)
        {
            return new(ClientPrefix + client, Vouching.NoVia, "");
        }

        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new(ClientPrefix + new IPAddress(bytes) + "/64", Vouching.NoVia, "");
    }

    /// <summary>True for a client-address row.</summary>
    public bool IsClient => Subject.StartsWith(ClientPrefix, StringComparison.Ordinal);

    /// <summary>The owner's own row, of the same subject: (owner, -).</summary>
    public ReputationKey OwnerRow => Via == Vouching.NoVia && Sender.Length == 0 ? this : new(Subject, Vouching.NoVia, "");

    /// <summary>The row's storage id: "subject|via|sender".</summary>
    public string Id => string.Concat(Subject, "|", Via, "|", Sender);

    /// <summary>Reads a storage id back; false when it is not one.</summary>
    public static bool TryParseId(string id, out ReputationKey? key)
    {
        ArgumentNullException.ThrowIfNull(id);
        var parts = id.Split('|');
        key = parts.Length == 3 && parts[0].Length > 0 && parts[1].Length > 0 ? new ReputationKey(parts[0], parts[1], parts[2]) : null;
        return key is not null;
    }

    /// <summary>
    /// Reads a subject as an administrator types it: an owner domain, an address ("192.0.2.1" or "ip:192.0.2.1"),
    /// or an IPv6 network; false when it is none of those.
    /// </summary>
    public static bool TryParseSubject(string text, out string subject)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bare = text.StartsWith(ClientPrefix, StringComparison.OrdinalIgnoreCase) ? text[ClientPrefix.Length..] : text;
        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (IPAddress.TryParse(slash < 0 ? bare : bare[..slash], out var address))
        {
            subject = ForClient(address).Subject;
            return true;
        }

        subject = Dns.DnsName.IsValidMultiLabel(text) ? Dns.DnsName.Normalize(text) : "";
        return subject.Length > 0 && !text.Contains(':', StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsClient ? Subject[ClientPrefix.Length..] : Sender.Length == 0 ? $"{Subject} via {Via}" : $"{Subject} via {Via} sender {Sender}";
}
