using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Vouch.Tests.Cli;
using Vouch.Tests.EndToEnd;
using Vouch.Tests.Integration;

namespace Vouch.Tests.Packaging;

/// <summary>
/// The Debian package as an administrator meets it (docs/install.md): installed with dpkg, the installed
/// /usr/bin/vouch checking, serving as the vouch user, wired into a private Postfix through master.cf spawn,
/// upgraded with an edited configuration, removed and purged. One class: the tests share the machine's one
/// installation and run one after the other.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class DebianPackageTests(DebianPackage package) : IClassFixture<DebianPackage>, IDisposable
{
    private const string Vouch = "/usr/bin/vouch";
    private const string Config = "/etc/vouch/vouch.toml";

    private readonly string folder = ReadableFolder();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [GeneratedRegex(@"^# ([a-z_]+ = .*)$", RegexOptions.Multiline)]
    private static partial Regex CommentedSetting();

    /// <summary>A temporary folder the vouch user can read (temporary folders are 0700).</summary>
    private static string ReadableFolder()
    {
        var path = Directory.CreateTempSubdirectory("vouch-deb-test-").FullName;
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        return path;
    }

    private string Readable(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));
        return path;
    }

    [Fact]
    public async Task InstallsTheProgramTheUserTheConfigurationAndAUnitThatIsNotStarted()
    {
        await package.EnsureInstalledAsync();

        var (_, user) = await DebianPackage.RunAsync("getent", ["passwd", "vouch"]);
        var (_, conffiles) = await DebianPackage.RunAsync("dpkg-query", ["-W", "-f", "${Conffiles}", "vouch"]);
        var (_, stateOwner) = await DebianPackage.RunAsync("stat", ["-c", "%U:%G %a", "/var/lib/vouch"]);

        Assert.True(File.Exists(Vouch) && File.GetUnixFileMode(Vouch).HasFlag(UnixFileMode.OtherExecute), "/usr/bin/vouch is missing or not executable");
        Assert.Matches(@"^vouch:x:\d+:\d+:Vouch policy service,*:/var/lib/vouch:/usr/sbin/nologin\n$", user);
        Assert.Contains(" /etc/vouch/vouch.toml ", conffiles, StringComparison.Ordinal);
        Assert.Equal("vouch:vouch 750\n", stateOwner);
        Assert.Contains("StateDirectory=vouch", await File.ReadAllTextAsync("/lib/systemd/system/vouch.service"), StringComparison.Ordinal);
        Assert.False(File.Exists("/etc/systemd/system/multi-user.target.wants/vouch.service"), "the unit was enabled at installation");
        Assert.All(new[] { "vouch", "vouch-check", "vouch-explain", "vouch-serve", "vouch-milter" }, page => Assert.True(File.Exists($"/usr/share/man/man1/{page}.1.gz"), page));
    }

    [Fact]
    public async Task TheInstalledProgramChecksAsTheCheckoutDoesWithoutADotNetRuntime()
    {
        await package.EnsureInstalledAsync();
        string[] arguments = ["check", "--zone", CliRunner.DemoZone, "--ip", "192.0.2.10", "--helo", "mail.example.com", "--sender", "alice@example.com"];

        // No DOTNET_ROOT and a PATH without dotnet: the bundle carries its runtime.
        var (exitCode, output) = await DebianPackage.RunAsync(Vouch, arguments, new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["DOTNET_ROOT"] = "/nonexistent" });
        var (checkoutExitCode, checkoutOutput, _) = await CliRunner.RunAsync(arguments);

        Assert.Equal((0, 0), (exitCode, checkoutExitCode));
        Assert.Equal(checkoutOutput, output);
        Assert.Contains("Verdict", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheShippedConfigurationIsValidAndSoIsEverySettingItShowsCommentedOut()
    {
        await package.EnsureInstalledAsync();
        var shipped = await File.ReadAllTextAsync(Config);
        var uncommented = Readable("uncommented.toml", CommentedSetting().Replace(shipped, "$1"));

        var (exitCode, output) = await DebianPackage.RunAsync(Vouch, ["serve", "--check-config", "--config", Config]);
        var (allExitCode, allOutput) = await DebianPackage.RunAsync(Vouch, ["serve", "--check-config", "--config", uncommented]);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("vouch: configuration OK (/etc/vouch/vouch.toml): mode monitor, ", output, StringComparison.Ordinal);
        Assert.True(CommentedSetting().Count(shipped) >= 10, "the shipped configuration shows few settings");
        Assert.True(allExitCode == 0, allOutput);
    }

    [Fact]
    public async Task LintianFindsNothingButTheExplainedOverrides()
    {
        Assert.True(File.Exists("/usr/bin/lintian"), "lintian is missing (Debian package lintian; ./test.sh installs it)");

        var (exitCode, output) = await DebianPackage.RunAsync("/usr/bin/lintian", ["--tag-display-limit", "0", package.First]);
        var findings = output.Split('\n').Where(line => line.Length > 2 && line[1] == ':' && line[0] is 'E' or 'W' or 'I' or 'X').ToList();

        Assert.True(exitCode == 0 && findings.Count == 0, output);
    }

    [Fact]
    public async Task TheUnitVerifies()
    {
        await package.EnsureInstalledAsync();
        Assert.True(File.Exists("/usr/bin/systemd-analyze"), "systemd-analyze is missing (Debian package systemd)");

        var (exitCode, output) = await DebianPackage.RunAsync("/usr/bin/systemd-analyze", ["verify", "/lib/systemd/system/vouch.service"]);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("vouch.service:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheInstalledProgramServesThePolicyProtocolAsTheVouchUser()
    {
        await package.EnsureInstalledAsync();
        var zone = Readable("demo.zone", await File.ReadAllTextAsync(CliRunner.DemoZone));
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("/usr/bin/setpriv") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--reuid=vouch", "--regid=vouch", "--init-groups", Vouch, "serve", "--listen", $"127.0.0.1:{port}", "--zone", zone, "--config", Config })
        {
            start.ArgumentList.Add(argument);
        }

        using var serve = Process.Start(start)!;
        var log = new StringBuilder();
        serve.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        serve.OutputDataReceived += (_, _) => { };
        serve.BeginErrorReadLine();
        serve.BeginOutputReadLine();
        try
        {
            Assert.True(await LoopbackPorts.WaitForBannerAsync(port, null, () => serve.HasExited), $"vouch serve did not listen on {port}: {log}");
            var uid = (await File.ReadAllLinesAsync($"/proc/{serve.Id}/status")).Single(line => line.StartsWith("Uid:", StringComparison.Ordinal));
            var (_, vouchUid) = await DebianPackage.RunAsync("id", ["-u", "vouch"]);

            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address=203.0.113.66\nhelo_name=spoofer.example.net\nsender=alice@example.com\ninstance=p1\n\n"));
            var answer = await new StreamReader(stream, Encoding.ASCII).ReadLineAsync();

            Assert.Equal(vouchUid.Trim(), uid.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
            Assert.StartsWith("action=PREPEND Received-SPF: ", answer, StringComparison.Ordinal);
        }
        finally
        {
            await ChildProcess.StopAsync(serve, "kill", "-TERM", serve.Id.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task PostfixSpawnsTheInstalledProgramAsDocsInstallShows()
    {
        await package.EnsureInstalledAsync();
        var zones = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "zones"), "*.zone")
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path) + ".", File.ReadAllText);
        await using var dns = await NsdServer.StartAsync(zones);
        var config = Readable("spawn.toml", $"""
            mode = "enforce"
            [server]
            host_name = "mx.vouch-e2e.test"
            header = "authentication-results"
            [dns]
            servers = ["{dns.Address}"]
            """);

        // The master.cf lines of docs/install.md, with this test's configuration file.
        var install = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "docs", "install.md"));
        Assert.Contains("vouch-policy unix  -       n       n       -       0       spawn\n  user=vouch argv=/usr/bin/vouch serve --stdio --config /etc/vouch/vouch.toml\n", install, StringComparison.Ordinal);
        Assert.Contains("check_policy_service unix:private/vouch-policy", install, StringComparison.Ordinal);
        var spawn = $"vouch-policy unix  -       n       n       -       0       spawn\n  user=vouch argv=/usr/bin/vouch serve --stdio --config {config}\n";
        await using var postfix = await PostfixInstance.StartAsync(["unix:private/vouch-policy"], spawn);
        const string Recipient = "user@" + PostfixInstance.Domain;

        var subject = "spawned " + Guid.NewGuid().ToString("N");
        var registered = await Swaks.SendAsync(postfix.Ports[0], "127.0.0.10", "h10.senders.test", "alice@spf.senders.test", [Recipient], subject);
        var unregistered = await Swaks.SendAsync(postfix.Ports[0], "127.0.0.12", "h12.senders.test", "alice@plain.senders.test", [Recipient], "spawned unregistered");

        Assert.True(Assert.Single(registered.RecipientReplies) == "250 2.1.5 Ok", $"{registered}\n{await postfix.ReadLogAsync()}");
        var message = await postfix.WaitForDeliveryAsync("Subject: " + subject) ?? throw new Xunit.Sdk.XunitException($"not delivered\n{await postfix.ReadLogAsync()}");
        Assert.Contains("Authentication-Results: mx.vouch-e2e.test; spf=pass smtp.mailfrom=alice@spf.senders.test;", message, StringComparison.Ordinal);
        var refused = Assert.Single(unregistered.RecipientReplies);
        Assert.True(refused.StartsWith("550 5.7.1 ", StringComparison.Ordinal) && refused.Contains("127.0.0.12 is not a registered mail server", StringComparison.Ordinal), $"{unregistered}\n{await postfix.ReadLogAsync()}");
    }

    [Fact]
    public async Task AnUpgradeKeepsTheEditedConfigurationAndStateRemoveKeepsThemAndPurgeRemovesThemAndTheUser()
    {
        if (await DebianPackage.InstalledVersionAsync() is not null)
        {
            await DebianPackage.RunAsync("dpkg", ["--purge", "vouch"]);
        }

        var firstInstall = await DebianPackage.InstallAsync(package.First);
        var edited = (await File.ReadAllTextAsync(Config)).Replace("mode = \"monitor\"", "mode = \"enforce\"  # edited by the administrator", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Config, edited);
        await File.WriteAllTextAsync("/var/lib/vouch/reputation.db", "state");

        await DebianPackage.InstallAsync(package.Rebuilt);
        var upgradedVersion = await DebianPackage.InstalledVersionAsync();
        var configAfterUpgrade = await File.ReadAllTextAsync(Config);
        var stateAfterUpgrade = File.Exists("/var/lib/vouch/reputation.db");

        var (removeExit, removeOutput) = await DebianPackage.RunAsync("dpkg", ["--remove", "vouch"]);
        var afterRemove = (Program: File.Exists(Vouch), Config: File.Exists(Config), State: File.Exists("/var/lib/vouch/reputation.db"), User: (await DebianPackage.RunAsync("getent", ["passwd", "vouch"])).ExitCode == 0);

        var (purgeExit, purgeOutput) = await DebianPackage.RunAsync("dpkg", ["--purge", "vouch"]);
        var afterPurge = (Config: Directory.Exists("/etc/vouch"), State: Directory.Exists("/var/lib/vouch"), User: (await DebianPackage.RunAsync("getent", ["passwd", "vouch"])).ExitCode == 0, Group: (await DebianPackage.RunAsync("getent", ["group", "vouch"])).ExitCode == 0);

        Assert.Contains("vouch: installed in monitor mode; not started.", firstInstall, StringComparison.Ordinal);
        Assert.Equal("0.13.0-2", upgradedVersion);
        Assert.Equal(edited, configAfterUpgrade);
        Assert.True(stateAfterUpgrade, "the upgrade lost the state directory");
        Assert.True(removeExit == 0, removeOutput);
        Assert.Equal((false, true, true, true), afterRemove);
        Assert.True(purgeExit == 0, purgeOutput);
        Assert.Equal((false, false, false, false), afterPurge);
    }
}
