namespace Vouch.Tests.Conformance;

/// <summary>The first half of the suite through the command line (see <see cref="CliConformanceTests"/>).</summary>
public sealed class CliConformanceFirstHalfTests : CliConformanceTests
{
    public static TheoryData<SuiteCaseName> CaseNames() => Half(0);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task Rfc7208CaseThroughTheCommandLine(SuiteCaseName name) => CheckThroughTheCommandLineAsync(name);
}
