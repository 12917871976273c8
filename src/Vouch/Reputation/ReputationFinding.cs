namespace Vouch.Reputation;

/// <summary>
/// What reputation knew of one request when it was decided: the vouching read from the evidence, the rows it
/// charges, and the worst state among them, from the in-memory state map (never the disk, never the network).
/// </summary>
/// <param name="Kept">Whether reputation is on.</param>
/// <param name="Known">False when the store has not answered lately (the map is stale): then no reputation row holds.</param>
/// <param name="Vouching">Who verifiably vouched for the client, or null (then the client row is the one charged).</param>
/// <param name="Charges">The rows a report about this message would charge.</param>
/// <param name="Worst">The charged row in the worst state, or null when none is listed.</param>
/// <param name="SenderHash">The sender's hashed local part when the owner is a big shared provider; otherwise "".</param>
/// <param name="Listless">True when the map lists no row at all: then no reputation row can hold, whatever the vouching.</param>
/// <param name="HalfLife">The half-life the numbers decay with, for explanations.</param>
public sealed record ReputationFinding(bool Kept, bool Known, Vouching? Vouching, IReadOnlyList<ReputationCharge> Charges, ReputationRow? Worst, string SenderHash, bool Listless, TimeSpan HalfLife)
{
    /// <summary>Reputation is off.</summary>
    public static ReputationFinding Off { get; } = new(false, false, null, [], null, "", true, TimeSpan.Zero);

    /// <summary>Whether the owner is a big shared provider (on the list, or seen with many distinct senders): its owner rows stop at suspect.</summary>
    public bool Provider { get; init; }

    /// <summary>True when <c>suspect_action = "defer-once"</c> and this is the suspect owner's first message from this address: the owner_suspect row defers.</summary>
    public bool DeferNow { get; init; }

    /// <summary>Who is held to account: the vouching owner, or the client's row when no domain vouched.</summary>
    public string Accountable => Vouching?.Owner ?? (Charges.Count > 0 ? Charges[0].Key.ToString() : "");

    /// <summary>The worst state, or neutral when nothing is listed or reputation is unknown or off.</summary>
    public ReputationState State => Kept && Known && Worst is { } row ? row.State : ReputationState.Neutral;

    /// <summary>The token for logs and JSON: off, unknown, neutral, suspect, blocked.</summary>
    public string Token => !Kept ? "off" : !Known ? "unknown" : State.ToToken();
}
