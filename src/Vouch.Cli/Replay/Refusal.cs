namespace Vouch.Cli.Replay;

/// <summary>An attempt Postfix refused before a queue id existed, held until its transaction is known not to have been accepted.</summary>
internal sealed record Refusal(DateTimeOffset Time, PostfixClient Client, string? Helo, string Sender, string Reply);
