using System.Net;
using Vouch.Dns;

namespace Vouch.Registration;

/// <summary>
/// What the registration check saw of one candidate's MX hosts, kept as data: the hosts looked up and their
/// answers, and how it ended. <see cref="RegistrationCandidate.Detail"/> is made from it only when someone reads
/// it (the JSON report, explain), not on every check.
/// </summary>
/// <param name="ImplicitMx">True when the domain had no MX and stood for its own mail host (RFC 5321 §5.1).</param>
/// <param name="Hosts">The MX hosts, lowest preference first.</param>
/// <param name="Answers">The address answers of the first hosts, as many as were read.</param>
/// <param name="Read">How many of <paramref name="Answers"/> were read before the check stopped.</param>
/// <param name="Client">The client's address.</param>
/// <param name="Ending">The outcome: registered (the last host read matched), not listed, temperror or not tried.</param>
/// <param name="Failure">For temperror, the first failure.</param>
internal sealed record MxHostsSeen(bool ImplicitMx, MxRecord[] Hosts, DnsAnswer<IPAddress>[] Answers, int Read, IPAddress Client, CandidateOutcome Ending, string? Failure)
{
    /// <summary>
    /// Writes the detail text into <paramref name="destination"/>: the hosts read with their addresses (or the
    /// answer's status), then how it ended. False when it does not fit.
    /// </summary>
    public bool TryFormat(Span<char> destination, out int written)
    {
        var text = new SpanText(destination);
        text.Append(ImplicitMx ? "no MX; implicit MX (RFC 5321 §5.1): " : "MX ");
        for (var i = 0; i < Read; i++)
        {
            var host = Hosts[i];
            var addresses = Answers[i];
            text.Append(host.Preference);
            text.Append(' ');
            text.Append(host.Exchange);
            text.Append(" (");
            if (addresses.Status == DnsStatus.Records)
            {
                for (var j = 0; j < addresses.Records.Count; j++)
                {
                    if (j > 0)
                    {
                        text.Append(", ");
                    }

                    text.Append(addresses.Records[j]);
                }
            }
            else
            {
                text.Append(addresses.Status.ToToken());
            }

            text.Append("); ");
        }

        switch (Ending)
        {
            case CandidateOutcome.Registered:
                text.Append(Client);
                text.Append(" matches ");
                text.Append(Hosts[Read - 1].Exchange);
                break;
            case CandidateOutcome.NotTried:
                text.Append("query budget spent before every MX host was looked up");
                break;
            case CandidateOutcome.TempError:
                text.Append(Failure ?? "");
                break;
            default:
                text.Append(Client);
                text.Append(" is not among them");
                break;
        }

        written = text.Length;
        return !text.Overflowed;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        for (var size = 256; ; size *= 4)
        {
            var buffer = new char[size];
            if (TryFormat(buffer, out var written))
            {
                return new string(buffer, 0, written);
            }
        }
    }
}
