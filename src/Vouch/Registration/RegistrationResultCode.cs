namespace Vouch.Registration;

/// <summary>The outcome of the MX-registration check.</summary>
public enum RegistrationResultCode
{
    /// <summary>The client is one of the MX hosts of a domain it presented.</summary>
    Registered,

    /// <summary>No domain the client presented lists it as an MX host.</summary>
    Unregistered,

    /// <summary>DNS trouble kept a route that could have shown registration from an answer.</summary>
    TempError,

    /// <summary>The check is turned off (<c>[registration] enabled = false</c>): nothing was asked.</summary>
    Off,
}
