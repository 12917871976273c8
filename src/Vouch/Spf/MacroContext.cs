using System.Net;

namespace Vouch.Spf;

/// <summary>The values the macro letters expand to (RFC 7208 §7.2).</summary>
/// <param name="Sender">%{s}: the sender, local-part@domain.</param>
/// <param name="LocalPart">%{l}: the sender's local-part.</param>
/// <param name="SenderDomain">%{o}: the sender's domain.</param>
/// <param name="Domain">%{d}: the domain being checked.</param>
/// <param name="Address">%{i}, %{c}, %{v}: the client's address.</param>
/// <param name="Helo">%{h}: the HELO/EHLO name.</param>
/// <param name="ValidatedName">%{p}: the validated domain name of the client, or "unknown"; null when not looked up.</param>
/// <param name="ReceivingHost">%{r}: the receiving host's domain (explanations only).</param>
/// <param name="Timestamp">%{t}: seconds since the epoch (explanations only).</param>
public sealed record MacroContext(
    string Sender,
    string LocalPart,
    string SenderDomain,
    string Domain,
    IPAddress Address,
    string Helo,
    string? ValidatedName,
    string ReceivingHost,
    long Timestamp);
