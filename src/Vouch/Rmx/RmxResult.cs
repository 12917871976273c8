namespace Vouch.Rmx;

/// <summary>What the RMX check found.</summary>
/// <param name="Code">The result.</param>
/// <param name="Domain">The domain whose _rmx records were read ("" when there was none to read).</param>
/// <param name="Entry">The entry that decided (Granted, Denied, and the entry at fault for BadData or TempFail), or null.</param>
/// <param name="Problem">For BadData and TempFail, what went wrong; otherwise null.</param>
/// <param name="Steps">The records read and each entry evaluated, in order, in a few words each.</param>
public sealed record RmxResult(RmxResultCode Code, string Domain, string? Entry, string? Problem, IReadOnlyList<string> Steps)
{
    /// <summary>The result when RMX checking is turned off: NoRMX, nothing asked.</summary>
    public static RmxResult TurnedOff { get; } = new(RmxResultCode.NoRmx, "", null, null, ["RMX checking is turned off"]);

    /// <summary>A temporary failure: the check did not finish (its deadline passed).</summary>
    /// <param name="problem">Why.</param>
    public static RmxResult Unfinished(string problem) => new(RmxResultCode.TempFail, "", null, problem, []);

    /// <summary>A placeholder for a check that was not asked because the decision did not need it: NoRMX, nothing asked.</summary>
    /// <param name="why">Why it was not asked.</param>
    public static RmxResult NotNeeded(string why) => new(RmxResultCode.NoRmx, "", null, null, [why]);

    /// <summary>The result's name as the draft writes it (§8): Granted, Denied, NotInRMX, NoRMX, TempFail, BadData.</summary>
    public string Token => Code switch
    {
        RmxResultCode.NotInRmx => "NotInRMX",
        RmxResultCode.NoRmx => "NoRMX",
        _ => Code.ToString(),
    };
}
