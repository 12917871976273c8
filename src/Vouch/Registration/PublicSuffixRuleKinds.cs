namespace Vouch.Registration;

/// <summary>What the rules keyed on one normalized name say about it; a name may carry several kinds.</summary>
[Flags]
internal enum PublicSuffixRuleKinds
{
    /// <summary>No rule is this name: it is only a suffix of a longer rule, so a lookup must go on to more labels.</summary>
    None = 0,

    /// <summary>A normal rule: the name is a public suffix.</summary>
    Normal = 1,

    /// <summary>A wildcard rule "*.name": every child of the name is a public suffix.</summary>
    Wildcard = 2,

    /// <summary>An exception rule "!name": the name is not a public suffix, though a wildcard covers it.</summary>
    Exception = 4,
}
