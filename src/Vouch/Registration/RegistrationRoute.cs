namespace Vouch.Registration;

/// <summary>How the client presented the domain that vouches for it.</summary>
public enum RegistrationRoute
{
    /// <summary>The MAIL FROM domain (or its organisational domain).</summary>
    MailFrom,

    /// <summary>The HELO name (or its organisational domain).</summary>
    Helo,

    /// <summary>A forward-confirmed PTR name of the client (or its organisational domain).</summary>
    Ptr,
}
