namespace Vouch.Server;

/// <summary>
/// One Postfix policy delegation request: the <c>name=value</c> attributes of one request, as Postfix sent
/// them (SMTPD_POLICY_README, "Protocol description"). Names are case-sensitive, as Postfix writes them.
/// </summary>
public sealed class PolicyRequest
{
    private readonly Dictionary<string, string> attributes;

    /// <summary>Wraps the attributes of one request.</summary>
    public PolicyRequest(Dictionary<string, string> attributes)
    {
        this.attributes = attributes ?? throw new ArgumentNullException(nameof(attributes));
    }

    /// <summary>Every attribute received.</summary>
    public IReadOnlyDictionary<string, string> Attributes => attributes;

    /// <summary>The value of <paramref name="name"/>, or "" when absent (Postfix sends empty values as "name=").</summary>
    public string this[string name] => attributes.TryGetValue(name, out var value) ? value : "";

    /// <summary>"request": always "smtpd_access_policy" for Postfix.</summary>
    public string Kind => this["request"];

    /// <summary>"protocol_state": CONNECT, EHLO, HELO, MAIL, RCPT, DATA, END-OF-MESSAGE, VRFY or ETRN.</summary>
    public string ProtocolState => this["protocol_state"];

    /// <summary>"instance": the same value for every recipient of one message.</summary>
    public string Instance => this["instance"];
}
