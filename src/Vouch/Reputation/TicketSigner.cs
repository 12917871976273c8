using System.Security.Cryptography;
using System.Text;

namespace Vouch.Reputation;

/// <summary>
/// Signs and verifies tickets with HMAC-SHA256 (truncated to 128 bits, base64url): the current key signs; the
/// current and the previous key verify, so a fleet can rotate keys without refusing the reports of the week before.
/// </summary>
public sealed class TicketSigner
{
    private const int MacBytes = 16;
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly byte[] key;
    private readonly byte[]? previousKey;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates a signer.</summary>
    /// <param name="key">The current key (16 bytes or more).</param>
    /// <param name="previousKey">The key before the last rotation, or null.</param>
    /// <param name="node">This node's name, written as n=.</param>
    /// <param name="timeProvider">The clock; null means the system's.</param>
    public TicketSigner(byte[] key, byte[]? previousKey, string node, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("a ticket key needs at least 16 bytes", nameof(key));
        }

        this.key = key;
        this.previousKey = previousKey;
        Node = SafeField(node);
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>This node's name in tickets.</summary>
    public string Node { get; }

    /// <summary>A new ticket for what was verified now: the vouching (or none: the client's row).</summary>
    public Ticket Issue(Vouching? vouching, System.Net.IPAddress client, string senderHash, bool provider = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = DateTimeOffset.FromUnixTimeSeconds(timeProvider.GetUtcNow().ToUnixTimeSeconds());
        return vouching is null
            ? new Ticket(now, Vouching.NoVia, Vouching.NoVia, Vouching.NoVia, Vouching.NoVia, client.ToString(), Node, NewId(), "")
            : new Ticket(now, vouching.Owner, vouching.ViaText, vouching.Method.ToToken(), vouching.Strength.ToToken(), client.ToString(), Node, NewId(), senderHash.Length == 0 ? "" : SafeField(senderHash)) { Provider = provider };
    }

    /// <summary>The header value: the ticket's fields and its MAC.</summary>
    public string Format(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var signed = ticket.SignedText;
        return signed + "; mac=" + Mac(key, signed);
    }

    /// <summary>
    /// Verifies a header value: its MAC under the current or previous key, and its age within <paramref name="window"/>
    /// (a ticket from the future beyond a minute's clock skew is refused too).
    /// </summary>
    public TicketCheck Verify(string headerValue, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        var text = headerValue.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
        if (!Ticket.TryParse(text, out var ticket, out var mac, out var problem))
        {
            return new TicketCheck(null, ReportOutcomeCode.BadMac, "not a ticket: " + problem);
        }

        var signed = ticket!.SignedText;
        if (!Matches(key, signed, mac) && (previousKey is null || !Matches(previousKey, signed, mac)))
        {
            return new TicketCheck(null, ReportOutcomeCode.BadMac, "the ticket's MAC does not verify under the current or the previous key");
        }

        var age = timeProvider.GetUtcNow() - ticket.IssuedAt;
        if (age > window || age < TimeSpan.FromMinutes(-1))
        {
            return new TicketCheck(ticket, ReportOutcomeCode.TooOld, $"the ticket was issued {ticket.IssuedAt:yyyy-MM-dd HH:mm}Z, outside the report window of {window.TotalDays:0.#} days");
        }

        return new TicketCheck(ticket, null, "");
    }

    private static string Mac(byte[] secret, string text) =>
        Base64Url(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(text)).AsSpan(0, MacBytes));

    private static bool Matches(byte[] secret, string text, string mac) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(secret, text)), Encoding.ASCII.GetBytes(mac));

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string NewId()
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var id = new char[10];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = Base32Alphabet[random[i] & 31];
        }

        return new string(id);
    }

    // A field may not carry the separators or a line break.
    private static string SafeField(string text)
    {
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return safe.Length == 0 ? "-" : safe.ToString();
    }
}
