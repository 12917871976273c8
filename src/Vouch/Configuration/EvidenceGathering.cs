namespace Vouch.Configuration;

/// <summary>How much evidence a check gathers ([checks] gather); its words are the members' names in lower case.</summary>
public enum EvidenceGathering
{
    /// <summary>"auto": all in monitor mode (the grace period's report re-decides from every piece), decisive in enforce mode.</summary>
    Auto,

    /// <summary>"all": every check runs, whatever the decision needs.</summary>
    All,

    /// <summary>
    /// "decisive": the decision table's rows are tried in order and only what a row needs is asked, so a check stops
    /// asking once a row has decided; the configured header's evidence is always gathered.
    /// </summary>
    Decisive,
}
