namespace Vouch.DecisionLog;

/// <summary>
/// A decision-log line as read: the fields of schema 1 (<c>docs/decision-log.md</c>) as they are written, read in
/// one pass by <see cref="DecisionLineReader"/>, then checked and turned into a <see cref="DecisionRecord"/> by
/// <see cref="DecisionRecordJson"/>. Every field is optional here; what a record needs is checked there.
/// </summary>
internal sealed class DecisionLine
{
    public int? Version { get; set; }
    public string? Time { get; set; }
    public string? FrontEnd { get; set; }
    public string? Config { get; set; }
    public string? QueueId { get; set; }
    public string? Client { get; set; }
    public string? Helo { get; set; }
    public string? Sender { get; set; }
    public string? Spf { get; set; }
    public string? SpfDomain { get; set; }
    public string? SpfMechanism { get; set; }
    public string? SpfExplanation { get; set; }
    public string? SpfProblem { get; set; }
    public string? HeloSpf { get; set; }
    public string? HeloSpfDomain { get; set; }
    public string? HeloSpfProblem { get; set; }
    public bool? HeloSpfChecked { get; set; }
    public string? Fcrdns { get; set; }
    public List<string>? FcrdnsNames { get; set; }
    public string? Registration { get; set; }
    public string? Domain { get; set; }
    public string? Owner { get; set; }
    public string? Route { get; set; }
    public string? MxHost { get; set; }
    public int? Preference { get; set; }
    public bool? LowestPriority { get; set; }
    public bool? SenderNullMx { get; set; }
    public string? RegistrationProblem { get; set; }
    public List<CandidateLine>? Candidates { get; set; }
    public string? Rmx { get; set; }
    public string? RmxDomain { get; set; }
    public string? RmxEntry { get; set; }
    public string? RmxProblem { get; set; }
    public ListingLine? Allowed { get; set; }
    public ListingLine? LocalBlocked { get; set; }
    public List<DnsListLine>? DnsLists { get; set; }
    public string? OwnMxHost { get; set; }
    public string? TrustedNetwork { get; set; }
    public List<string>? NotAsked { get; set; }
    public string? Verdict { get; set; }
    public string? Action { get; set; }
    public string? EnforcedAction { get; set; }
    public string? Mode { get; set; }
    public string? Rule { get; set; }
    public string? Reason { get; set; }
    public string? Reply { get; set; }
    public string? Answer { get; set; }
    public double? Milliseconds { get; set; }
    public int? Dns { get; set; }

    /// <summary>One registration candidate.</summary>
    internal sealed class CandidateLine
    {
        public string? Domain { get; set; }
        public string? Route { get; set; }
        public string? Outcome { get; set; }
    }

    /// <summary>A local list's entry.</summary>
    internal sealed class ListingLine
    {
        public string? List { get; set; }
        public string? Subject { get; set; }
        public string? Entry { get; set; }
    }

    /// <summary>One DNS list's answer.</summary>
    internal sealed class DnsListLine
    {
        public string? List { get; set; }
        public string? Zone { get; set; }
        public string? Kind { get; set; }
        public string? Subject { get; set; }
        public string? Query { get; set; }
        public string? Outcome { get; set; }
        public string? Text { get; set; }
    }
}
