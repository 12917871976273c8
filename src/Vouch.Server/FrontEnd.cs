namespace Vouch.Server;

/// <summary>Which front end a service generation answers for: it decides which headers the checks must gather evidence for.</summary>
public enum FrontEnd
{
    /// <summary><c>vouch serve</c>: the Postfix policy service, writing <c>[server] header</c>.</summary>
    PolicyService,

    /// <summary><c>vouch milter</c>: the mail filter, writing <c>[milter] headers</c>.</summary>
    Milter,
}
