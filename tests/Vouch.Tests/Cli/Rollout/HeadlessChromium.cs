using System.Diagnostics;

namespace Vouch.Tests.Cli.Rollout;

/// <summary>Debian's Chromium without a window: the page's DOM after its scripts ran, or a screenshot of it.</summary>
internal static class HeadlessChromium
{
    /// <summary>Where Debian's package puts it (test.sh installs the package).</summary>
    public const string Program = "/usr/bin/chromium";

    // Chromium has nothing to wait for in a page that loads nothing; this bounds a hung browser, not the page.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>The serialised DOM of <paramref name="page"/> once its scripts ran (10 s of virtual time).</summary>
    public static async Task<string> DumpDomAsync(string page)
    {
        var (output, _) = await RunAsync(["--dump-dom", new Uri(page).AbsoluteUri]);
        return output;
    }

    /// <summary>Takes a PNG screenshot of <paramref name="page"/>, 1280 by 2000 CSS pixels, into <paramref name="png"/>.</summary>
    public static async Task ScreenshotAsync(string page, string png)
    {
        File.Delete(png);
        var (_, error) = await RunAsync(["--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars", new Uri(page).AbsoluteUri]);
        if (!File.Exists(png))
        {
            throw new InvalidOperationException($"chromium wrote no screenshot to {png}:\n{error}");
        }
    }

    private static async Task<(string Output, string Error)> RunAsync(IEnumerable<string> arguments)
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"{Program} is missing: install Debian's package chromium (test.sh does)");
        }

        // A profile and a HOME of its own: nothing read from or left in the user's, and runs don't share a lock.
        var profile = Directory.CreateTempSubdirectory("vouch-chromium-");
        try
        {
            var start = new ProcessStartInfo(Program)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var argument in (string[])[
                "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                "--user-data-dir=" + profile.FullName, "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Chromium's own update and account requests, and any the page made, resolve no name: nothing leaves the machine.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                .. arguments])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = profile.FullName;
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Program} did not start");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Patience);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"chromium did not finish within {Patience.TotalSeconds} s:\n{await error}");
            }

            // Chromium's stderr is noise (D-Bus, GPU) even when all went well: shown only when it failed.
            return process.ExitCode == 0
                ? (await output, await error)
                : throw new InvalidOperationException($"chromium exited with {process.ExitCode}:\n{await error}");
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A helper process of Chromium's may still be closing its files: the folder stays in /tmp.
            }
        }
    }
}
