namespace Vouch.Server;

/// <summary>What answers policy requests for <see cref="PolicyServer"/>: one responder, or the live generation of a service.</summary>
public interface IPolicyAnswerer
{
    /// <summary>The action for <paramref name="request"/>: the text after "action=".</summary>
    Task<string> AnswerAsync(PolicyRequest request, CancellationToken cancellationToken);
}
