namespace Vouch.Policy;

/// <summary>The configuration and output names of <see cref="RuleCondition"/>, e.g. "null_mx_sender".</summary>
public static class RuleConditionExtensions
{
    /// <summary>The name used in configuration files, JSON and logs.</summary>
    public static string ToToken(this RuleCondition condition) => condition switch
    {
        RuleCondition.AllowListed => "allow_listed",
        RuleCondition.BlockListed => "block_listed",
        RuleCondition.NullMxSender => "null_mx_sender",
        RuleCondition.SpfFail => "spf_fail",
        RuleCondition.RmxDenied => "rmx_denied",
        RuleCondition.OwnerBlocked => "owner_blocked",
        RuleCondition.ClientBlocked => "client_blocked",
        RuleCondition.OwnerSuspect => "owner_suspect",
        RuleCondition.SpfPass => "spf_pass",
        RuleCondition.RmxGranted => "rmx_granted",
        RuleCondition.MxRegistered => "mx_registered",
        RuleCondition.TemporaryFailure => "temporary_failure",
        RuleCondition.SpfSoftFail => "spf_softfail",
        RuleCondition.SpfNeutral => "spf_neutral",
        RuleCondition.SpfNone => "spf_none",
        RuleCondition.SpfPermError => "spf_permerror",
        RuleCondition.FcrdnsFail => "fcrdns_fail",
        RuleCondition.HeloMissing => "helo_missing",
        RuleCondition.HeloMalformed => "helo_malformed",
        RuleCondition.HeloLiteralMismatch => "helo_literal_mismatch",
        RuleCondition.SenderMalformed => "sender_malformed",
        RuleCondition.ClientUnreadable => "client_unreadable",
        RuleCondition.OwnMxHost => "own_mx_host",
        RuleCondition.TrustedRelay => "trusted_relay",
        RuleCondition.Always => "always",
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "not a rule condition"),
    };

    /// <summary>Reads a name; false when it names no condition.</summary>
    public static bool TryParse(string token, out RuleCondition condition)
    {
        foreach (var candidate in Enum.GetValues<RuleCondition>())
        {
            if (candidate.ToToken() == token)
            {
                condition = candidate;
                return true;
            }
        }

        condition = default;
        return false;
    }
}
