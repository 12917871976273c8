namespace Vouch.Server;

/// <summary>A client broke the policy protocol (a line without '=', a request over the size limit): the connection is closed.</summary>
public sealed class PolicyProtocolException(string message) : Exception(message);
