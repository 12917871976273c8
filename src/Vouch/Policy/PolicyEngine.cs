using System.Text;
using Vouch.Lists;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;
using Vouch.Text;

namespace Vouch.Policy;

/// <summary>Applies the decision table to evidence: the first row whose condition holds decides. Pure and thread-safe.</summary>
public static class PolicyEngine
{
    private const int MaxReasonLength = 400;

    private static readonly RuleCondition[] IdentityConditions =
        [RuleCondition.HeloMissing, RuleCondition.HeloMalformed, RuleCondition.HeloLiteralMismatch, RuleCondition.SenderMalformed];

    /// <summary>Decides for <paramref name="evidence"/> under <paramref name="options"/> at <paramref name="now"/> (which selects the mode, see <see cref="PolicyOptions.ModeAt"/>).</summary>
    /// <exception cref="InvalidOperationException">No row matched: the table has no final "always" row.</exception>
    public static Decision Decide(Evidence evidence, PolicyOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(options);
        if (evidence.TrustedNetwork is not null)
        {
            return DecideAlone(RuleCondition.TrustedRelay, DecisionTable.TrustedRelay, evidence, options, now);
        }

        if (evidence.OwnMxHost is not null)
        {
            return DecideAlone(RuleCondition.OwnMxHost, DecisionTable.OwnMxHost, evidence, options, now);
        }

        for (var index = 0; index < options.Rules.Count; index++)
        {
            var rule = options.Rules[index];
            if (!Holds(rule.When, evidence))
            {
                continue;
            }

            var enforced = rule.When == RuleCondition.BlockListed ? DnsListAction(evidence, options) ?? rule.Action
                : rule.When == RuleCondition.OwnerSuspect && evidence.Reputation.DeferNow ? PolicyAction.Defer
                : rule.Action;
            // Reputation has its own grace period: its rows refuse only when both it and the policy enforce.
            var mode = IsReputationRow(rule.When) && options.ReputationMode == PolicyMode.Monitor ? PolicyMode.Monitor : options.ModeAt(now);
            return Conclude(options.Rules, index, enforced, ReasonTemplate.Fill(rule.Reason, evidence), mode);
        }

        throw new InvalidOperationException("the decision table has no row for this request: its last row must be 'always'");
    }

    /// <summary>Whether <paramref name="condition"/> is one of the reputation rows (owner_blocked, client_blocked, owner_suspect).</summary>
    public static bool IsReputationRow(RuleCondition condition) =>
        condition is RuleCondition.OwnerBlocked or RuleCondition.ClientBlocked or RuleCondition.OwnerSuspect;

    /// <summary>The decision of the <paramref name="condition"/> row alone: nothing else was checked, so no other row may weigh the evidence.</summary>
    private static Decision DecideAlone(RuleCondition condition, DecisionRule builtIn, Evidence evidence, PolicyOptions options, DateTimeOffset now)
    {
        var (table, row) = RowFor(condition, options.Rules, builtIn);
        return Conclude(table, row, table[row].Action, ReasonTemplate.Fill(table[row].Reason, evidence), options.ModeAt(now));
    }

    /// <summary>
    /// What a listing of the evidence does: for <see cref="Evidence.Allowed"/> and a local block the action of the
    /// table's first <c>allow_listed</c> or <c>block_listed</c> row (accept and reject without one); for a DNS list,
    /// its own action (<see cref="PolicyOptions.ListActions"/>) where it has one.
    /// </summary>
    public static PolicyAction ListingAction(Evidence evidence, ListMatch listing, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(options);
        var allowed = ReferenceEquals(listing, evidence.Allowed);
        if (!allowed && DnsListAction(evidence, options) is { } own)
        {
            return own;
        }

        var condition = allowed ? RuleCondition.AllowListed : RuleCondition.BlockListed;
        foreach (var rule in options.Rules)
        {
            if (rule.When == condition)
            {
                return rule.Action;
            }
        }

        return allowed ? PolicyAction.Accept : PolicyAction.Reject;
    }

    /// <summary>The own action of the DNS list that lists the client, when no local block does.</summary>
    private static PolicyAction? DnsListAction(Evidence evidence, PolicyOptions options) =>
        evidence.LocalBlocked is null && evidence.Blocked is { } listing && options.ListActions.TryGetValue(listing.List, out var action) ? action : null;

    /// <summary>Whether a row's condition holds for the evidence.</summary>
    public static bool Holds(RuleCondition condition, Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var mailFrom = evidence.MailFromSpf.Code;
        return condition switch
        {
            RuleCondition.AllowListed => evidence.Allowed is not null,
            RuleCondition.BlockListed => evidence.Blocked is not null,
            RuleCondition.NullMxSender => evidence.Registration.SenderHasNullMx,
            RuleCondition.SpfFail => mailFrom == SpfResultCode.Fail,
            RuleCondition.RmxDenied => evidence.Rmx.Code is RmxResultCode.Denied or RmxResultCode.NotInRmx,
            RuleCondition.OwnerBlocked => evidence.Reputation is { Vouching: not null, State: ReputationState.Blocked },
            RuleCondition.ClientBlocked => evidence.Reputation is { Vouching: null, State: ReputationState.Blocked },
            RuleCondition.OwnerSuspect => evidence.Reputation is { Vouching: not null, State: ReputationState.Suspect },
            RuleCondition.SpfPass => mailFrom == SpfResultCode.Pass || evidence.HeloSpf.Code == SpfResultCode.Pass,
            RuleCondition.RmxGranted => evidence.Rmx.Code == RmxResultCode.Granted,
            RuleCondition.MxRegistered => evidence.Registration.Code == RegistrationResultCode.Registered,
            RuleCondition.TemporaryFailure => TemporaryProblem(evidence) is not null,
            RuleCondition.SpfSoftFail => mailFrom == SpfResultCode.SoftFail,
            RuleCondition.SpfNeutral => mailFrom == SpfResultCode.Neutral,
            RuleCondition.SpfNone => mailFrom == SpfResultCode.None,
            RuleCondition.SpfPermError => mailFrom == SpfResultCode.PermError,
            RuleCondition.FcrdnsFail => evidence.Fcrdns.Code == FcrdnsResultCode.Fail,
            RuleCondition.HeloMissing => evidence.Request.Helo.Kind == HeloNameKind.Missing,
            RuleCondition.HeloMalformed => evidence.Request.Helo.Kind == HeloNameKind.Malformed,
            RuleCondition.HeloLiteralMismatch => evidence.Request.Helo.Kind == HeloNameKind.AddressLiteral && !evidence.Request.Client.Equals(evidence.Request.Helo.Address),
            RuleCondition.SenderMalformed => evidence.Request.Sender.Kind == ReversePathKind.Malformed,
            RuleCondition.ClientUnreadable => false,
            RuleCondition.OwnMxHost => evidence.OwnMxHost is not null,
            RuleCondition.TrustedRelay => evidence.TrustedNetwork is not null,
            _ => true,
        };
    }

    /// <summary>
    /// The pieces of evidence still to be gathered before <see cref="Holds"/> can be trusted for
    /// <paramref name="condition"/>, given the pieces in <paramref name="gathered"/>; None when it can be tested now.
    /// An "or" asks for its second half only when the first does not decide: spf_pass needs the HELO result only
    /// when MAIL FROM is not pass.
    /// </summary>
    public static EvidencePieces Needs(RuleCondition condition, Evidence evidence, EvidencePieces gathered)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var needs = condition switch
        {
            RuleCondition.AllowListed or RuleCondition.BlockListed => EvidencePieces.Lists,
            RuleCondition.NullMxSender => EvidencePieces.SenderNullMx,
            RuleCondition.SpfFail or RuleCondition.SpfSoftFail or RuleCondition.SpfNeutral or RuleCondition.SpfNone or RuleCondition.SpfPermError => EvidencePieces.MailFromSpf,
            RuleCondition.RmxDenied or RuleCondition.RmxGranted => EvidencePieces.Rmx,
            RuleCondition.SpfPass => (gathered & EvidencePieces.MailFromSpf) == 0 ? EvidencePieces.MailFromSpf
                : evidence.MailFromSpf.Code == SpfResultCode.Pass ? EvidencePieces.None : EvidencePieces.HeloSpf,
            RuleCondition.MxRegistered => EvidencePieces.Registration,
            RuleCondition.OwnerBlocked or RuleCondition.ClientBlocked or RuleCondition.OwnerSuspect => evidence.Reputation is { Kept: true, Known: true, Listless: false } ? VouchingPieces : EvidencePieces.None,
            RuleCondition.TemporaryFailure => TemporaryProblemPieces,
            RuleCondition.FcrdnsFail => EvidencePieces.Fcrdns,
            _ => EvidencePieces.None,
        };
        return needs & ~gathered;
    }

    /// <summary>The pieces the vouching (and so every reputation row) is read from.</summary>
    internal const EvidencePieces VouchingPieces = EvidencePieces.MailFromSpf | EvidencePieces.HeloSpf | EvidencePieces.Registration | EvidencePieces.Rmx;

    /// <summary>The pieces <see cref="TemporaryProblem"/> reads.</summary>
    internal const EvidencePieces TemporaryProblemPieces = EvidencePieces.MailFromSpf | EvidencePieces.HeloSpf | EvidencePieces.Registration | EvidencePieces.Rmx;

    /// <summary>
    /// Decides for a policy request that cannot be checked at all (no readable client address): the first
    /// <c>client_unreadable</c> row of the table, or <see cref="DecisionTable.ClientUnreadable"/>.
    /// </summary>
    /// <param name="problem">What was wrong with the request, for the reason's <c>{problem}</c>.</param>
    /// <param name="options">The policy in force.</param>
    /// <param name="now">Selects the mode.</param>
    public static Decision DecideUnreadable(string problem, PolicyOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var (table, index) = RowFor(RuleCondition.ClientUnreadable, options.Rules, DecisionTable.ClientUnreadable);
        var rule = table[index];
        return Conclude(table, index, rule.Action, rule.Reason.Replace("{problem}", problem, StringComparison.Ordinal), options.ModeAt(now));
    }

    /// <summary>The table's first row for <paramref name="condition"/>, or <paramref name="builtIn"/> as a table of its own.</summary>
    private static (IReadOnlyList<DecisionRule> Table, int Index) RowFor(RuleCondition condition, IReadOnlyList<DecisionRule> rules, DecisionRule builtIn)
    {
        for (var index = 0; index < rules.Count; index++)
        {
            if (rules[index].When == condition)
            {
                return (rules, index);
            }
        }

        return ([builtIn], 0);
    }

    /// <summary>The decision of row <paramref name="index"/>: in monitor mode defer and reject become tag (the grace period).</summary>
    private static Decision Conclude(IReadOnlyList<DecisionRule> table, int index, PolicyAction enforced, string reason, PolicyMode mode)
    {
        var rule = table[index];
        var action = mode == PolicyMode.Monitor && enforced is PolicyAction.Defer or PolicyAction.Reject ? PolicyAction.Tag : enforced;
        reason = UntrustedText.Line(reason, MaxReasonLength);
        return new Decision(rule.Verdict, action, enforced, mode, SmtpReply(enforced, rule.StatusCode, reason), reason, rule, table, index);
    }

    /// <summary>The identity rows that hold for the evidence (helo_missing, helo_malformed, helo_literal_mismatch, sender_malformed), in that order.</summary>
    public static IReadOnlyList<RuleCondition> IdentityFindings(Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        List<RuleCondition>? found = null;
        foreach (var condition in IdentityConditions)
        {
            if (Holds(condition, evidence))
            {
                (found ??= []).Add(condition);
            }
        }

        return (IReadOnlyList<RuleCondition>?)found ?? [];
    }

    /// <summary>
    /// The DNS failure that could have changed the verdict: SPF temperror (either identity) or registration
    /// temperror, or RMX TempFail. A DNS list that fails is not one: a list outage must not defer all mail.
    /// </summary>
    internal static string? TemporaryProblem(Evidence evidence) =>
        evidence.MailFromSpf.Code == SpfResultCode.TempError ? $"SPF for {evidence.MailFromSpf.Domain}: {evidence.MailFromSpf.Problem}"
        : evidence.HeloSpf.Code == SpfResultCode.TempError ? $"SPF for HELO {evidence.HeloSpf.Domain}: {evidence.HeloSpf.Problem}"
        : evidence.Registration.Code == RegistrationResultCode.TempError ? $"MX registration: {evidence.Registration.Problem}"
        : evidence.Rmx.Code == RmxResultCode.TempFail ? $"RMX for {evidence.Rmx.Domain}: {evidence.Rmx.Problem}"
        : null;

    /// <summary>
    /// The reply: 550 for reject, 451 for defer, with the enhanced code's class made to agree (RFC 3463 §3.1:
    /// 4 is persistent transient, 5 permanent) when a list's own action differs from its row's.
    /// </summary>
    private static string? SmtpReply(PolicyAction action, string statusCode, string reason) => action switch
    {
        PolicyAction.Reject => $"550 {WithClass('5', statusCode.Length > 0 ? statusCode : "5.7.1")} {reason}",
        PolicyAction.Defer => $"451 {WithClass('4', statusCode.Length > 0 ? statusCode : "4.7.1")} {reason}",
        _ => null,
    };

    private static string WithClass(char statusClass, string statusCode) => statusClass + statusCode[1..];
}
