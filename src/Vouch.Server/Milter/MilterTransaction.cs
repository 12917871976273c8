namespace Vouch.Server.Milter;

/// <summary>What the milter knows of one message when it decides: the client, its names, and the envelope as the MTA reported them.</summary>
/// <param name="ClientAddress">The client's address as text: <c>{client_addr}</c> when the MTA sent it, else the connect packet's; may be unreadable.</param>
/// <param name="ConfirmedClientName">The client's name when the MTA verified it (Postfix's <c>{client_name}</c>, not "unknown"); null otherwise.</param>
/// <param name="Helo">The HELO or EHLO argument, or null when none was given.</param>
/// <param name="Sender">The MAIL FROM argument as received (angle brackets included), or null before MAIL.</param>
/// <param name="AuthenticatedAs">The SASL login (<c>{auth_authen}</c>), or null.</param>
/// <param name="QueueId">The MTA's queue id (<c>i</c>), or "".</param>
public sealed record MilterTransaction(string ClientAddress, string? ConfirmedClientName, string? Helo, string? Sender, string? AuthenticatedAs, string QueueId);
