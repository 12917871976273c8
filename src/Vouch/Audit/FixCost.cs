namespace Vouch.Audit;

/// <summary>
/// What a fix costs the domain owner, compared in this order: whether someone else must act (the address's provider
/// publishes PTR records), whether the server itself must change (its HELO name), whether only receivers running
/// Vouch read it (MX registration, RMX) rather than every receiver (SPF), then SPF lookups added, records, bytes.
/// A record that must be kept in step by hand (flattened includes) comes after all of them: the last resort.
/// </summary>
/// <param name="Records">Records added or changed.</param>
/// <param name="SpfLookups">DNS-querying SPF terms added (negative: saved).</param>
/// <param name="Bytes">Octets of record data added (negative: saved).</param>
/// <param name="ProviderMustAct">Only the address's provider can publish it.</param>
/// <param name="ServerChange">The server's configuration must change too (the name it greets with).</param>
/// <param name="VouchOnly">Read by receivers that check MX registration or RMX, not by every receiver.</param>
/// <param name="Upkeep">The record copies what other records say (flattened includes) and must be redone whenever they change.</param>
public sealed record FixCost(int Records, int SpfLookups, int Bytes, bool ProviderMustAct = false, bool ServerChange = false, bool VouchOnly = false, bool Upkeep = false)
{
    /// <summary>The key that orders costs, cheapest first (the order the summary gives).</summary>
    public (bool Upkeep, bool ProviderMustAct, bool ServerChange, bool VouchOnly, int SpfLookups, int Records, int Bytes) Rank =>
        (Upkeep, ProviderMustAct, ServerChange, VouchOnly, SpfLookups, Records, Bytes);

    /// <summary>"1 record, +0 SPF lookups, 24 bytes; the server's HELO name changes".</summary>
    public override string ToString()
    {
        var text = $"{Records} {(Records == 1 ? "record" : "records")}, {SpfLookups:+0;-0;+0} SPF lookups, {Bytes:+0;-0;0} bytes";
        if (ProviderMustAct)
        {
            text += "; the address's provider must publish it";
        }

        if (ServerChange)
        {
            text += "; the server's HELO name changes";
        }

        if (VouchOnly)
        {
            text += "; read by receivers that check registration, not by SPF-only ones";
        }

        if (Upkeep)
        {
            text += "; to be redone whenever the flattened hosts change";
        }

        return text;
    }
}
