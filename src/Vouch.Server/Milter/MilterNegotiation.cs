namespace Vouch.Server.Milter;

/// <summary>
/// What Vouch takes of what the MTA offers in SMFIC_OPTNEG: the lower version; only offered actions (Postfix
/// and Sendmail drop a milter that asks for more); only offered protocol options; and, when the MTA lets a
/// milter name them, the macros each stage needs.
/// </summary>
/// <param name="Version">The protocol version both speak.</param>
/// <param name="Actions">What Vouch will do to messages.</param>
/// <param name="Protocol">The events Vouch does not want and those it will not answer.</param>
/// <param name="Macros">The macro names per stage, space-separated; empty when the MTA does not offer SMFIF_SETSYMLIST.</param>
public sealed record MilterNegotiation(uint Version, MilterActions Actions, MilterProtocolOptions Protocol, IReadOnlyList<(MilterMacroStage Stage, string Names)> Macros)
{
    /// <summary>The version Vouch speaks: 6 (Postfix 2.6 on, Sendmail 8.14 on).</summary>
    public const uint HighestVersion = 6;

    /// <summary>The oldest version accepted: 2 (libmilter refuses older MTAs too).</summary>
    public const uint LowestVersion = 2;

    // The events Vouch never reads: the body, end of header, DATA, unknown commands.
    private const MilterProtocolOptions NotWanted = MilterProtocolOptions.NoBody | MilterProtocolOptions.NoEndOfHeaders | MilterProtocolOptions.NoData | MilterProtocolOptions.NoUnknown;

    // The events Vouch reads but never answers otherwise than "continue".
    private const MilterProtocolOptions NotAnswered = MilterProtocolOptions.NoReplyToConnect | MilterProtocolOptions.NoReplyToHelo
        | MilterProtocolOptions.NoReplyToHeader | MilterProtocolOptions.NoReplyToEndOfHeaders | MilterProtocolOptions.NoReplyToBody
        | MilterProtocolOptions.NoReplyToData | MilterProtocolOptions.NoReplyToUnknown;

    // The macros each stage needs: the client as the MTA saw it (a content filter's connect address is its own
    // peer's), whether and how the session authenticated, and the queue id for the log.
    private static readonly (MilterMacroStage Stage, string Names)[] WantedMacros =
    [
        (MilterMacroStage.Connect, "{client_addr} {client_name} {client_resolve} {daemon_name} j"),
        (MilterMacroStage.EnvelopeFrom, "{auth_authen} {auth_type} i"),
        (MilterMacroStage.EnvelopeRecipient, "i"),
        (MilterMacroStage.EndOfMessage, "i"),
    ];

    /// <summary>The answer to an offer, or null when the MTA's version is too old to talk to.</summary>
    /// <param name="version">The MTA's protocol version.</param>
    /// <param name="actions">What the MTA lets milters do.</param>
    /// <param name="protocol">The protocol options the MTA understands.</param>
    /// <param name="answersRecipient">Whether Vouch answers RCPT (it decides there); otherwise it asks not to.</param>
    /// <param name="answersMail">Whether Vouch answers MAIL.</param>
    public static MilterNegotiation? Answer(uint version, MilterActions actions, MilterProtocolOptions protocol, bool answersRecipient, bool answersMail)
    {
        if (version < LowestVersion)
        {
            return null;
        }

        // SMFIP_SKIP: should a body come anyway, "skip" ends it where the MTA understands that.
        var wanted = NotWanted | NotAnswered | MilterProtocolOptions.Skip;
        if (!answersRecipient)
        {
            wanted |= MilterProtocolOptions.NoReplyToRecipient;
        }

        if (!answersMail)
        {
            wanted |= MilterProtocolOptions.NoReplyToMail;
        }

        var taken = actions & (MilterActions.AddHeaders | MilterActions.ChangeHeaders | MilterActions.SetMacroLists);
        return new MilterNegotiation(
            Math.Min(version, HighestVersion),
            taken,
            protocol & wanted,
            (taken & MilterActions.SetMacroLists) != 0 ? WantedMacros : []);
    }
}
