using System.Text;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Rmx;

namespace Vouch.DecisionLog;

/// <summary>The decision log's words for enum values: snake case of the value's name ("not_listed", "mail_from").</summary>
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

    /// <summary>The word of <paramref name="value"/>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var word = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                word.Append('_');
            }

            word.Append(char.ToLowerInvariant(name[i]));
        }

        return word.ToString();
    }

    /// <summary>The value whose word (or whose lower-case name, the tokens of verdicts, actions and modes) is <paramref name="word"/>.</summary>
    public static bool TryParse<T>(string word, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Of(candidate) == word || Decision.Token(candidate) == word)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

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
