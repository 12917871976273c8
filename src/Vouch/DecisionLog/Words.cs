using Vouch.Policy;
using Vouch.Registration;
using Vouch.Rmx;

namespace Vouch.DecisionLog;

/// <summary>The decision log's words for the pieces not asked and for the result codes written by their own tokens.</summary>
internal static class Words
{
    /// <summary>Each gathered piece and its word in <c>not_asked</c>.</summary>
    public static IReadOnlyList<(string Word, EvidencePieces Piece)> Pieces { get; } =
    [
        ("mail_from_spf", EvidencePieces.MailFromSpf),
        ("helo_spf", EvidencePieces.HeloSpf),
        ("fcrdns", EvidencePieces.Fcrdns),
        ("registration", EvidencePieces.Registration),
        ("sender_null_mx", EvidencePieces.SenderNullMx),
        ("rmx", EvidencePieces.Rmx),
        ("lists", EvidencePieces.Lists),
    ];

    /// <summary>The FCrDNS code of a result token (<c>FcrdnsResult.Token</c>); off for a word it does not know, including "not_asked".</summary>
    public static FcrdnsResultCode Fcrdns(string token) => token switch
    {
        "pass" => FcrdnsResultCode.Pass,
        "fail" => FcrdnsResultCode.Fail,
        "none" => FcrdnsResultCode.None,
        "temperror" => FcrdnsResultCode.TempError,
        _ => FcrdnsResultCode.Off,
    };

    /// <summary>The registration code of a result token (<c>RegistrationResult.Token</c>); off for a word it does not know.</summary>
    public static RegistrationResultCode Registration(string token) => token switch
    {
        "registered" => RegistrationResultCode.Registered,
        "unregistered" => RegistrationResultCode.Unregistered,
        "temperror" => RegistrationResultCode.TempError,
        _ => RegistrationResultCode.Off,
    };

    /// <summary>The RMX code of a result token (<c>RmxResult.Token</c>); NoRMX for a word it does not know.</summary>
    public static RmxResultCode Rmx(string token) => token switch
    {
        "Granted" => RmxResultCode.Granted,
        "Denied" => RmxResultCode.Denied,
        "NotInRMX" => RmxResultCode.NotInRmx,
        "TempFail" => RmxResultCode.TempFail,
        "BadData" => RmxResultCode.BadData,
        _ => RmxResultCode.NoRmx,
    };
}
