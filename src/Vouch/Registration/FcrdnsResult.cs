namespace Vouch.Registration;

/// <summary>What forward-confirmed reverse DNS found for a client.</summary>
/// <param name="Code">The outcome.</param>
/// <param name="PtrNames">The client's PTR names looked at (at most the configured limit), normalized.</param>
/// <param name="ConfirmedNames">Those whose A/AAAA records include the client's address.</param>
/// <param name="Problem">For temperror, what failed; otherwise null.</param>
public sealed record FcrdnsResult(FcrdnsResultCode Code, IReadOnlyList<string> PtrNames, IReadOnlyList<string> ConfirmedNames, string? Problem)
{
    /// <summary>The result when reverse DNS is turned off.</summary>
    public static FcrdnsResult NotChecked { get; } = new(FcrdnsResultCode.Off, [], [], null);

    /// <summary>A temporary error: the check did not finish (its deadline passed).</summary>
    /// <param name="problem">Why.</param>
    public static FcrdnsResult Unfinished(string problem) => new(FcrdnsResultCode.TempError, [], [], problem);

    /// <summary>A placeholder for a check that was not asked because the decision did not need it.</summary>
    /// <param name="problem">Why it was not asked.</param>
    public static FcrdnsResult NotNeeded(string problem) => new(FcrdnsResultCode.Off, [], [], problem);

    /// <summary>A pass on the MTA's word: it verified <paramref name="name"/> (PTR, then forward) and said so.</summary>
    /// <param name="name">The confirmed name, normalized.</param>
    public static FcrdnsResult ConfirmedByMta(string name) => new(FcrdnsResultCode.Pass, [name], [name], null);

    /// <summary>The token used in JSON and headers: pass, fail, none, temperror, off.</summary>
    public string Token => Code switch
    {
        FcrdnsResultCode.Pass => "pass",
        FcrdnsResultCode.Fail => "fail",
        FcrdnsResultCode.None => "none",
        FcrdnsResultCode.Off => "off",
        _ => "temperror",
    };
}
