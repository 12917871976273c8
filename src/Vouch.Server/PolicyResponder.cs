using BitFaster.Caching.Lru;
using Vouch.Checks;
using Vouch.Policy;

namespace Vouch.Server;

/// <summary>
/// Answers one policy request: checks at RCPT (and MAIL if configured), DUNNO in every other state;
/// evaluates once per message (instance) and reuses the answer for its other recipients. The action comes
/// from the verdict: accept → DUNNO; tag → PREPEND a Received-SPF header (in monitor mode it says what
/// enforcement would do); defer and reject → the SMTP reply with its enhanced status code. An internal
/// error answers the safe action: DUNNO in monitor mode, a 451 in enforce mode. Thread-safe.
/// </summary>
public sealed class PolicyResponder
{
    private readonly SenderChecker checker;
    private readonly PolicyServerOptions options;
    private readonly ConcurrentLru<string, string> answersByInstance;

    /// <summary>Creates the responder.</summary>
    public PolicyResponder(SenderChecker checker, PolicyServerOptions? options = null)
    {
        this.checker = checker ?? throw new ArgumentNullException(nameof(checker));
        this.options = options ?? new PolicyServerOptions();
        answersByInstance = new ConcurrentLru<string, string>(Math.Max(this.options.InstanceCacheSize, 3));
    }

    /// <summary>The action for <paramref name="request"/>: the text after "action=".</summary>
    public async Task<string> AnswerAsync(PolicyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = request.ProtocolState;
        if (!(state == "RCPT" || (state == "MAIL" && options.CheckAtMail)))
        {
            return "DUNNO";
        }

        var instance = request.Instance;
        if (instance.Length > 0 && answersByInstance.TryGet(instance, out var cached))
        {
            return cached;
        }

        string answer;
        if (!CheckRequest.TryCreate(request["client_address"], request["sender"], request["helo_name"], out var checkRequest, out _))
        {
            // Nothing to judge (e.g. no HELO yet, or an address Postfix could not give): let other rules decide.
            answer = "DUNNO";
        }
        else
        {
            try
            {
                answer = ToAction(await checker.CheckAsync(checkRequest!, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                answer = checker.Configuration.Policy.ModeAt(DateTimeOffset.UtcNow) == PolicyMode.Monitor ? "DUNNO" : "451 4.3.0 temporary policy failure, try again later";
            }
        }

        if (instance.Length > 0)
        {
            answersByInstance.AddOrUpdate(instance, answer);
        }

        return answer;
    }

    private string ToAction(CheckOutcome outcome)
    {
        var decision = outcome.Decision;
        return decision.Action switch
        {
            PolicyAction.Accept => "DUNNO",
            PolicyAction.Tag => "PREPEND " + ReceivedSpfHeader.Format(outcome, options.HostName, Note(decision)),
            _ => decision.SmtpReply ?? "DUNNO",
        };
    }

    private static string Note(Decision decision) =>
        $"vouch: {Decision.Token(decision.Verdict)}" +
        (decision.Mode == PolicyMode.Monitor && decision.EnforcedAction != decision.Action ? $", monitor mode, enforcement would {Decision.Token(decision.EnforcedAction)}: {decision.SmtpReply}" : $": {decision.Reason}");
}
