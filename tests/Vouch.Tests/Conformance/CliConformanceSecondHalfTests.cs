namespace Vouch.Tests.Conformance;

/// <summary>The second half of the suite through the command line (see <see cref="CliConformanceTests"/>).</summary>
public sealed class CliConformanceSecondHalfTests : CliConformanceTests
{
    public static TheoryData<SuiteCaseName> CaseNames() => Half(1);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task Rfc7208CaseThroughTheCommandLine(SuiteCaseName name) => CheckThroughTheCommandLineAsync(name);
}
