namespace Vouch.Registration;

/// <summary>The outcome of forward-confirmed reverse DNS (FCrDNS, "iprev" in RFC 8601 §3).</summary>
public enum FcrdnsResultCode
{
    /// <summary>At least one PTR name of the client resolves back to the client's address.</summary>
    Pass,

    /// <summary>The client has PTR names, but none resolves back to it.</summary>
    Fail,

    /// <summary>The client has no PTR names.</summary>
    None,

    /// <summary>A DNS failure kept the check from an answer.</summary>
    TempError,

    /// <summary>Not looked up: <c>[registration] enabled = false</c> turns reverse DNS off with MX registration.</summary>
    Off,
}
