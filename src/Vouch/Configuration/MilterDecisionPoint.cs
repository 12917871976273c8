namespace Vouch.Configuration;

/// <summary>When <c>vouch milter</c> checks the sender; its words are "rcpt" and "eom" (<c>[milter] decide_at</c>).</summary>
public enum MilterDecisionPoint
{
    /// <summary>"rcpt": at the first recipient, once per transaction; a refusal is the RCPT reply, before DATA.</summary>
    Rcpt,

    /// <summary>"eom": at the end of the message; a refusal rejects the message after DATA.</summary>
    Eom,
}
