using System.Diagnostics;
using System.Text;

namespace Vouch.Tests.Packaging;

/// <summary>
/// The Debian package built from this checkout by packaging/build-deb.sh (revision 1, and a rebuilt revision 2
/// for the upgrade), installed on this machine with dpkg while the tests run and purged afterwards. It refuses to
/// start where a vouch package is installed already: the tests would replace the machine's own.
/// </summary>
public sealed class DebianPackage : IAsyncLifetime
{
    /// <summary>Says that the tests installed vouch here: ./test.sh purges it if a run is cut short.</summary>
    private static readonly string Marker = Path.Combine(Path.GetTempPath(), "vouch-package-tests.installed");

    private readonly string folder = Directory.CreateTempSubdirectory("vouch-deb-").FullName;

    /// <summary>The first package, revision 1.</summary>
    public string First { get; private set; } = "";

    /// <summary>The same checkout rebuilt as revision 2: what an upgrade installs.</summary>
    public string Rebuilt { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/dpkg"))
        {
            throw new InvalidOperationException("the package tests install a Debian package: run them as root on Debian (./test.sh in CI)");
        }

        if (await InstalledVersionAsync() is { } version && !File.Exists(Marker))
        {
            throw new InvalidOperationException($"vouch {version} is installed on this machine; the package tests install, upgrade and purge their own and would replace it");
        }

        // Built one after the other into one folder: the second publish reuses the first's output.
        First = await BuildAsync(1);
        Rebuilt = await BuildAsync(2);
    }

    public async Task DisposeAsync()
    {
        if (await InstalledVersionAsync() is not null || File.Exists(Marker))
        {
            await RunAsync("dpkg", ["--purge", "vouch"]);
        }

        File.Delete(Marker);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The installed version, or null when the package is not installed (or only its configuration is left).</summary>
    public static async Task<string?> InstalledVersionAsync()
    {
        var (exitCode, output) = await RunAsync("dpkg-query", ["-W", "-f", "${db:Status-Status} ${Version}", "vouch"]);
        return exitCode == 0 && output.StartsWith("installed ", StringComparison.Ordinal) ? output["installed ".Length..].Trim() : null;
    }

    /// <summary>Installs revision 1 unless a revision is installed already.</summary>
    public async Task EnsureInstalledAsync()
    {
        if (await InstalledVersionAsync() is null)
        {
            await InstallAsync(First);
        }
    }

    /// <summary>Installs <paramref name="deb"/> with dpkg -i, as an administrator would, without a terminal.</summary>
    public static async Task<string> InstallAsync(string deb)
    {
        await File.WriteAllTextAsync(Marker, deb);
        var (exitCode, output) = await RunAsync("dpkg", ["-i", deb]);
        return exitCode == 0 ? output : throw new InvalidOperationException($"dpkg -i {deb} failed:\n{output}");
    }

    /// <summary>Runs <paramref name="program"/>; its exit code and its standard output and error together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var reading = Task.WhenAll(
            process.StandardOutput.ReadToEndAsync().ContinueWith(t => { lock (output) { output.Append(t.Result); } }, TaskScheduler.Default),
            process.StandardError.ReadToEndAsync().ContinueWith(t => { lock (output) { output.Append(t.Result); } }, TaskScheduler.Default));
        await process.WaitForExitAsync();
        await reading;
        return (process.ExitCode, output.ToString());
    }

    private async Task<string> BuildAsync(int revision)
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "packaging", "build-deb.sh");
        var (exitCode, output) = await RunAsync("bash", [script, "--revision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", folder]);
        // The script prints the package's path as its last line on stdout; stderr may come after it here.
        var deb = output.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.EndsWith(".deb", StringComparison.Ordinal)) ?? "";
        return exitCode == 0 && deb.EndsWith(".deb", StringComparison.Ordinal) && File.Exists(deb)
            ? deb
            : throw new InvalidOperationException($"packaging/build-deb.sh --revision {revision} failed ({exitCode}):\n{output}");
    }
}
