namespace Vouch.Reputation;

/// <summary>One row a report or a delivery charges, and at what share of its weight.</summary>
/// <param name="Key">The row.</param>
/// <param name="Share">1 for the row the vouch names, 0.25 for the owner row behind a shared vouch.</param>
/// <param name="CapAtSuspect">True for a big shared provider's owner-level rows: they never block.</param>
public sealed record ReputationCharge(ReputationKey Key, double Share, bool CapAtSuspect);
