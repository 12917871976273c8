using System.Diagnostics;
using System.Globalization;

namespace Vouch.Tests.EndToEnd;

/// <summary>Sends one message with swaks (Debian's package) from a chosen loopback source address, and reads its transcript.</summary>
internal static class Swaks
{
    /// <summary>
    /// Connects from <paramref name="source"/> to 127.0.0.1:<paramref name="port"/>, says HELO <paramref name="helo"/>,
    /// MAIL FROM <paramref name="sender"/> ("" for a bounce) and one RCPT per recipient, then the message with
    /// <paramref name="subject"/> (and <paramref name="headers"/>, each "Name: value") if any recipient was accepted.
    /// </summary>
    public static async Task<SwaksTranscript> SendAsync(int port, string source, string helo, string sender, IReadOnlyList<string> recipients, string subject, IReadOnlyList<string>? headers = null)
    {
        var start = new ProcessStartInfo("/usr/bin/swaks")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--server", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--local-interface", source,
            "--helo", helo, "--from", sender.Length == 0 ? "<>" : sender, "--to", string.Join(',', recipients),
            "--header", $"Subject: {subject}", "--timeout", "90",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var header in headers ?? [])
        {
            start.ArgumentList.Add("--add-header");
            start.ArgumentList.Add(header);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new SwaksTranscript(await output + await error);
    }
}
