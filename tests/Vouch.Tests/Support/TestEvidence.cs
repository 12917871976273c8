using Vouch.Registration;
using Vouch.Spf;

namespace Vouch.Tests.Support;

/// <summary>Pieces of evidence for policy tests that build evidence by hand.</summary>
internal static class TestEvidence
{
    public static FcrdnsResult NoFcrdns { get; } = new(FcrdnsResultCode.None, [], [], null);

    public static RegistrationResult Unregistered { get; } = new(RegistrationResultCode.Unregistered, null, null, null, null, null, null, [], false, 0, null);

    public static Vouch.Rmx.RmxResult NoRmx { get; } = new(Vouch.Rmx.RmxResultCode.NoRmx, "", null, null, []);

    public static SpfResult Spf(SpfResultCode code = SpfResultCode.None) =>
        new(code, SpfIdentity.MailFrom, "example.com", "a@example.com", null, null, false, 0, 0, null, []);
}
