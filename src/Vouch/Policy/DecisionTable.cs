namespace Vouch.Policy;

/// <summary>The default decision table: rows are tried in order and the first whose condition holds decides.</summary>
public static class DecisionTable
{
    /// <summary>
    /// The defaults: allow list → white; block list → black; Null MX sender → black (RFC 7505 §4.2);
    /// SPF fail → black; RMX Denied or NotInRMX → black; the vouching owner blocked by reports → black, suspect →
    /// white and tag; SPF pass → white; RMX Granted → white; MX-registered → white; temporary DNS failure → grey;
    /// an unvouched client blocked by reports → black;
    /// otherwise black ("not a registered mail server"), with separate rows for SPF softfail, neutral,
    /// none and permerror so each can be given its own action.
    /// </summary>
    public static IReadOnlyList<DecisionRule> Default { get; } =
    [
        new(RuleCondition.AllowListed, Verdict.White, PolicyAction.Accept, "", "{listed} is on the allow list"),
        new(RuleCondition.BlockListed, Verdict.Black, PolicyAction.Reject, "5.7.1", "{listed} is on a block list"),
        new(RuleCondition.NullMxSender, Verdict.Black, PolicyAction.Reject, "5.7.27", "sender domain {mailfrom_domain} publishes a null MX: it sends no mail (RFC 7505)"),
        new(RuleCondition.SpfFail, Verdict.Black, PolicyAction.Reject, "5.7.23", "SPF fail: {spf_explanation}"),
        new(RuleCondition.RmxDenied, Verdict.Black, PolicyAction.Reject, "5.7.1", "the RMX records of {rmx_domain} do not authorise {ip} ({rmx_result})"),
        new(RuleCondition.OwnerBlocked, Verdict.Black, PolicyAction.Reject, "5.7.1", "servers vouched for by {reputation_owner} refused: {reputation_why} ({reputation_row}: {reputation_numbers})"),
        new(RuleCondition.OwnerSuspect, Verdict.White, PolicyAction.Tag, "", "{reputation_owner} vouches for {ip}, but is suspect: {reputation_why} ({reputation_row}: {reputation_numbers})"),
        new(RuleCondition.SpfPass, Verdict.White, PolicyAction.Accept, "", "{spf_domain} authorises {ip} by SPF"),
        new(RuleCondition.RmxGranted, Verdict.White, PolicyAction.Accept, "", "{rmx_domain} authorises {ip} by RMX ({rmx_entry})"),
        new(RuleCondition.MxRegistered, Verdict.White, PolicyAction.Accept, "", "{ip} is registered as MX host {mx_host} of {domain} (owner {owner}, via {via})"),
        new(RuleCondition.TemporaryFailure, Verdict.Grey, PolicyAction.Defer, "4.4.3", "temporary DNS failure, try again later: {problem}"),
        new(RuleCondition.ClientBlocked, Verdict.Black, PolicyAction.Reject, "5.7.1", "{ip} is refused: no domain vouches for it, and its address is blocked: {reputation_why} ({reputation_numbers})"),
        new(RuleCondition.SpfSoftFail, Verdict.Black, PolicyAction.Reject, "5.7.1", "{ip} is not a registered mail server: {mailfrom_domain} does not list it as an MX host and its SPF says softfail"),
        new(RuleCondition.SpfNeutral, Verdict.Black, PolicyAction.Reject, "5.7.1", "{ip} is not a registered mail server: {mailfrom_domain} does not list it as an MX host and its SPF says neutral"),
        new(RuleCondition.SpfPermError, Verdict.Black, PolicyAction.Reject, "5.7.24", "{ip} is not a registered mail server, and the SPF record of {mailfrom_domain} is broken: {problem}"),
        new(RuleCondition.SpfNone, Verdict.Black, PolicyAction.Reject, "5.7.1", "{ip} is not a registered mail server: no domain lists it as an MX host and {mailfrom_domain} publishes no SPF record"),
        new(RuleCondition.Always, Verdict.Black, PolicyAction.Reject, "5.7.1", "{ip} is not a registered mail server: no domain vouches for it"),
    ];

    /// <summary>
    /// Rows for the SMTP identities themselves, not in <see cref="Default"/>: by default a broken HELO or sender
    /// decides nothing, so a legitimate server with a broken HELO still passes on its MAIL FROM evidence. A
    /// site adds one with an action (<c>[policy] helo_missing_action = "reject"</c>), and it goes right after
    /// the allow list; in <c>[[policy.rules]]</c> it goes where it is written. Their default action is reject.
    /// </summary>
    public static IReadOnlyList<DecisionRule> IdentityRows { get; } =
    [
        new(RuleCondition.HeloMissing, Verdict.Black, PolicyAction.Reject, "5.5.1", "the client at {ip} gave no HELO/EHLO name"),
        new(RuleCondition.HeloMalformed, Verdict.Black, PolicyAction.Reject, "5.5.2", "HELO '{helo}' is not a valid host name: {helo_problem}"),
        new(RuleCondition.HeloLiteralMismatch, Verdict.Black, PolicyAction.Reject, "5.7.1", "HELO {helo} is an address literal that is not the client's address {ip}"),
        new(RuleCondition.SenderMalformed, Verdict.Black, PolicyAction.Reject, "5.1.7", "sender <{sender}> is not a valid address: {sender_problem}"),
    ];

    /// <summary>
    /// The row for a client that is an MX host of one of our own domains, when the table has no
    /// <c>own_mx_host</c> row: white and accept (the policy service answers DUNNO and adds no header: the backup
    /// MX judged the mail and added its own).
    /// </summary>
    public static DecisionRule OwnMxHost { get; } =
        new(RuleCondition.OwnMxHost, Verdict.White, PolicyAction.Accept, "", "{ip} is {own_mx_host}: our backup MX, which judged this mail already");

    /// <summary>
    /// The row for a client in a trusted network when the table has no <c>trusted_relay</c> row: white and
    /// accept (the policy service answers DUNNO and adds no header).
    /// </summary>
    public static DecisionRule TrustedRelay { get; } =
        new(RuleCondition.TrustedRelay, Verdict.White, PolicyAction.Accept, "", "{ip} is in the trusted network {trusted_network}");

    /// <summary>
    /// The row for a policy request that carries no readable client address, when the table has no
    /// <c>client_unreadable</c> row: grey and defer (4.3.5, the MTA's set-up is at fault), never an accept
    /// by accident. Only <c>{problem}</c> is filled in its reason: there is no evidence.
    /// </summary>
    public static DecisionRule ClientUnreadable { get; } =
        new(RuleCondition.ClientUnreadable, Verdict.Grey, PolicyAction.Defer, "4.3.5", "cannot check this client: {problem}");
}
