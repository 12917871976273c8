namespace Vouch.Reputation;

/// <summary>The standing of one reputation row; states change with hysteresis (<see cref="ReputationModel.NextState"/>).</summary>
public enum ReputationState
{
    /// <summary>Nothing held against it.</summary>
    Neutral,

    /// <summary>Enough reports to tag its mail (<c>owner_suspect</c>).</summary>
    Suspect,

    /// <summary>Enough reports, from enough people, to refuse its mail (<c>owner_blocked</c>, <c>client_blocked</c>).</summary>
    Blocked,
}
