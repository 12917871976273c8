namespace Vouch.Configuration;

/// <summary>The policy service's answer when a check fails inside Vouch (a bug, not DNS trouble); its words are the members' names in lower case.</summary>
public enum FailureAction
{
    /// <summary>"auto": DUNNO in monitor mode, a 451 in enforce mode.</summary>
    Auto,

    /// <summary>"dunno": let the mail through.</summary>
    Dunno,

    /// <summary>"defer": 451 4.3.0, try again later.</summary>
    Defer,
}
