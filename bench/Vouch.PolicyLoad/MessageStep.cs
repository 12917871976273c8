namespace Vouch.PolicyLoad;

/// <summary>The policy requests Postfix sends for one accepted message with one recipient, in order.</summary>
internal enum MessageStep
{
    /// <summary>protocol_state=RCPT: the check (smtpd_recipient_restrictions).</summary>
    Rcpt,

    /// <summary>protocol_state=DATA (smtpd_data_restrictions): where Vouch prepends the message's ticket.</summary>
    Data,

    /// <summary>protocol_state=END-OF-MESSAGE (smtpd_end_of_data_restrictions): where Vouch counts the delivery.</summary>
    EndOfMessage,
}
