namespace Vouch.Server.Milter;

/// <summary>The MTA's side broke the milter protocol (a length out of range, a packet too short for its command): that connection is closed, the service goes on.</summary>
public sealed class MilterProtocolException(string message) : Exception(message);
