using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Vouch.Dns;
using Vouch.Dns.Zones;
using Vouch.Spf;
using Vouch.Tests.Integration;
using Vouch.Tests.Support;

namespace Vouch.Tests.Conformance;

/// <summary>
/// The RFC 7208 suite again, each case through the built `vouch check --json` as a process of its own, the
/// suite's HELO and MAIL FROM passed as arguments exactly as the suite gives them (spaces, a leading '@',
/// quotes, nothing). The zone data goes in as a zone file (<c>--zone</c>); a case whose in-memory run meets a
/// TIMEOUT entry, which no zone file can hold, asks an in-test DNS server that never answers those names.
/// </summary>
/// <remarks>Two halves in two classes, so xUnit runs them side by side (a process each costs ~0.3 s).</remarks>
public abstract class CliConformanceTests
{
    /// <summary>The cases whose position in the suite has parity <paramref name="half"/> (0 or 1).</summary>
    protected static TheoryData<SuiteCaseName> Half(int half)
    {
        var data = new TheoryData<SuiteCaseName>();
        var index = 0;
        foreach (var name in SpfConformanceTests.CaseNames())
        {
            if (index++ % 2 == half)
            {
                data.Add(name);
            }
        }

        return data;
    }

    protected static async Task CheckThroughTheCommandLineAsync(SuiteCaseName name)
    {
        var suiteCase = SpfTestSuite.Shared.Cases.Single(c => c.Name == name.Name);
        var inMemory = await new SpfChecker(new ZoneResolver(suiteCase.Zone)).CheckMailFromAsync(IPAddress.Parse(suiteCase.Host), suiteCase.MailFrom, suiteCase.Helo, CancellationToken.None);
        var touchesTimeout = inMemory.Trace.OfType<SpfDnsQueryEvent>().Any(q => q.Status == DnsStatus.Timeout);
        var folder = Directory.CreateTempSubdirectory("vouch-cli-suite-").FullName;
        try
        {
            List<string> arguments = ["check", "--json", "--ip", suiteCase.Host];
            Add(arguments, "--sender", suiteCase.MailFrom);
            Add(arguments, "--helo", suiteCase.Helo);
            ScriptedDnsServer? server = null;
            if (touchesTimeout)
            {
                server = ZoneDnsServer.Start(new ZoneResolver(suiteCase.Zone));
                var config = Path.Combine(folder, "vouch.toml");
                await File.WriteAllTextAsync(config, "[dns]\ntimeout_ms = 300\nretries = 0\n");
                arguments.AddRange(["--dns", server.Endpoint.ToString(), "--config", config]);
            }
            else
            {
                var zone = Path.Combine(folder, "case.zone");
                await File.WriteAllTextAsync(zone, ZoneTextWriter.WriteRootZone(suiteCase.Zone));
                arguments.AddRange(["--zone", zone]);
            }

            (int ExitCode, string Output, string Error) run;
            await using (server)
            {
                run = await RunAsync(arguments);
            }

            Assert.True(run.ExitCode == 0, $"{suiteCase.Name}: exit code {run.ExitCode}: {run.Error}");
            using var json = JsonDocument.Parse(run.Output);
            var spf = json.RootElement.GetProperty("spf");
            var result = spf.GetProperty("result").GetString()!;
            Assert.True(suiteCase.Results.Contains(result),
                $"{suiteCase.Name} ({suiteCase.Spec}): expected {string.Join(" or ", suiteCase.Results)}, got {result} through the CLI; problem: {spf.GetProperty("problem")}");
            if (suiteCase.Explanation is { } expected && expected != "DEFAULT" && result == "fail")
            {
                Assert.Equal(expected, spf.GetProperty("explanation").GetString(), ignoreCase: true);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An option and its value; a value that begins with '-' is attached (--sender=-x), or it would be read as an option.</summary>
    private static void Add(List<string> arguments, string option, string value)
    {
        if (value.StartsWith('-'))
        {
            arguments.Add(option + "=" + value);
        }
        else
        {
            arguments.AddRange([option, value]);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Vouch.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
