namespace Vouch.Reputation;

/// <summary>
/// When a row enters and leaves a state (<see cref="ReputationModel.NextState"/>). Leaving takes lower values
/// than entering, so a row near a threshold does not flap (PreSTA: many delisted senders are soon listed again).
/// </summary>
public sealed record ReputationThresholds
{
    /// <summary>Spam units to enter blocked (default 5).</summary>
    public double BlockSpam { get; init; } = 5;

    /// <summary>Distinct reporters to enter blocked (default 3).</summary>
    public int BlockReporters { get; init; } = 3;

    /// <summary>Wilson lower bound to enter blocked (default 0.05).</summary>
    public double BlockLowerBound { get; init; } = 0.05;

    /// <summary>Blocked is left below this many spam units (default 2).</summary>
    public double ReleaseSpam { get; init; } = 2;

    /// <summary>Blocked is left below this lower bound (default 0.02).</summary>
    public double ReleaseLowerBound { get; init; } = 0.02;

    /// <summary>Spam units to enter suspect (default 3).</summary>
    public double SuspectSpam { get; init; } = 3;

    /// <summary>Distinct reporters to enter suspect (default 2).</summary>
    public int SuspectReporters { get; init; } = 2;

    /// <summary>Wilson lower bound to enter suspect (default 0.01).</summary>
    public double SuspectLowerBound { get; init; } = 0.01;

    /// <summary>Suspect is left below this many spam units (default 1).</summary>
    public double ClearSpam { get; init; } = 1;

    /// <summary>Suspect is left below this lower bound (default 0.005).</summary>
    public double ClearLowerBound { get; init; } = 0.005;
}
