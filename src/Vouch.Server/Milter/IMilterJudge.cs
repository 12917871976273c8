namespace Vouch.Server.Milter;

/// <summary>Decides one message for the milter: a <see cref="MilterResponder"/>, or the service host, which answers with its live configuration.</summary>
public interface IMilterJudge
{
    /// <summary>The verdict for <paramref name="transaction"/>; never throws for what the client sent or for DNS trouble.</summary>
    Task<MilterVerdict> JudgeAsync(MilterTransaction transaction, CancellationToken cancellationToken);
}
