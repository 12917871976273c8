using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vouch.Tests.EndToEnd;

/// <summary>
/// A private Postfix instance (Debian's postfix package, its own configuration, queue and data folders
/// under a temporary folder): smtpd listeners on loopback ports, each asking its own policy service, and
/// virtual delivery of the test domain to one Maildir. Runs in the foreground as a child process
/// (<c>postfix start-fg</c>), so the test owns it; stopped on dispose, also when tests fail.
/// </summary>
internal sealed class PostfixInstance : IAsyncDisposable
{
    public const string Domain = "vouch-e2e.test";
    private const string PostfixPath = "/usr/sbin/postfix";

    private readonly Process process;
    private readonly string folder;

    private PostfixInstance(Process process, string folder, IReadOnlyList<int> ports)
    {
        this.process = process;
        this.folder = folder;
        Ports = ports;
    }

    /// <summary>The SMTP ports, in the order of the policy services or listeners given at the start.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>Where delivered messages land (Maildir "new").</summary>
    public string MaildirNew => Path.Combine(folder, "mail", "inbox", "new");

    /// <summary>Starts Postfix with one SMTP listener per policy service (a TCP port of a Vouch on 127.0.0.1).</summary>
    public static Task<PostfixInstance> StartAsync(IReadOnlyList<int> policyPorts) =>
        StartAsync([.. policyPorts.Select(port => string.Create(CultureInfo.InvariantCulture, $"inet:127.0.0.1:{port}"))], "");

    /// <summary>
    /// Starts Postfix with one SMTP listener per policy service, each named as check_policy_service takes it
    /// ("inet:127.0.0.1:10040", "unix:private/vouch-policy"), and <paramref name="services"/> added to master.cf
    /// (e.g. the spawn service a "unix:private/…" policy names).
    /// </summary>
    public static Task<PostfixInstance> StartAsync(IReadOnlyList<string> policyServices, string services) =>
        StartWithListenersAsync([.. policyServices.Select(service => $"-o smtpd_recipient_restrictions=reject_unauth_destination,check_policy_service,{service}")], services);

    /// <summary>
    /// Starts Postfix with one SMTP listener per entry of <paramref name="listenerOptions"/>, each the master.cf
    /// "-o name=value" options of that listener (values without spaces), and <paramref name="services"/> added to master.cf.
    /// </summary>
    public static Task<PostfixInstance> StartWithListenersAsync(IReadOnlyList<string> listenerOptions, string services) =>
        StartWithListenersAsync(listenerOptions, services, "");

    /// <summary>
    /// Starts Postfix with one SMTP listener per entry of <paramref name="listenerOptions"/> (as above), and
    /// <paramref name="mainCf"/> appended to main.cf: parameters of the test's own, which a listener's "-o name=$own_parameter"
    /// can name where a value needs spaces (main.cf then holds one entry per parameter, no overriding).
    /// </summary>
    public static async Task<PostfixInstance> StartWithListenersAsync(IReadOnlyList<string> listenerOptions, string services, string mainCf)
    {
        if (!File.Exists(PostfixPath) || !File.Exists("/usr/bin/swaks"))
        {
            throw new InvalidOperationException("Postfix or swaks is not installed: run ./test.sh, which installs the Debian packages 'postfix' and 'swaks'.");
        }

        var (uid, gid) = await PostfixUserAsync();
        var folder = Directory.CreateTempSubdirectory("vouch-postfix-").FullName;
        foreach (var sub in new[] { "conf", "queue", "data", "mail" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        // Postfix refuses a data directory, and the virtual agent a mailbox base, that its user does not own.
        await RunAsync("chown", "postfix:postfix", Path.Combine(folder, "data"), Path.Combine(folder, "mail"));
        // A temporary folder is private (0700); Postfix's processes run as its user and must reach inside.
        await RunAsync("chmod", "755", folder);

        var ports = listenerOptions.Select(_ => LoopbackPorts.Free()).ToArray();
        var master = new StringBuilder();
        for (var i = 0; i < ports.Length; i++)
        {
            // master.cf -o values cannot hold spaces: commas separate the restrictions.
            master.Append(CultureInfo.InvariantCulture, $"127.0.0.1:{ports[i]} inet n - n - - smtpd\n  {listenerOptions[i]}\n");
        }

        master.Append(services);

        master.Append("""
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            proxymap  unix  -       -       n       -       -       proxymap
            showq     unix  n       -       n       -       -       showq
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            virtual   unix  -       n       n       -       -       virtual
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd

            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "conf", "master.cf"), master.ToString());
        await File.WriteAllTextAsync(Path.Combine(folder, "conf", "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {folder}/queue
            data_directory = {folder}/data
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = mx.{Domain}
            mydomain = {Domain}
            myorigin = $myhostname
            mydestination =
            mynetworks =
            inet_interfaces = loopback-only
            inet_protocols = ipv4
            maillog_file = {folder}/maillog
            maillog_file_prefixes = {folder}
            smtpd_banner = $myhostname ESMTP
            smtpd_peername_lookup = no
            smtpd_recipient_restrictions = reject_unauth_destination
            smtpd_policy_service_timeout = 60s
            virtual_mailbox_domains = {Domain}
            virtual_mailbox_base = {folder}/mail
            virtual_mailbox_maps = static:inbox/
            virtual_uid_maps = static:{uid}
            virtual_gid_maps = static:{gid}
            alias_maps =
            alias_database =
            local_recipient_maps =
            smtputf8_enable = no
            biff = no

            """ + mainCf);

        var process = ChildProcess.StartDraining(PostfixPath, ["-c", Path.Combine(folder, "conf"), "start-fg"]);
        var instance = new PostfixInstance(process, folder, ports);
        foreach (var port in ports)
        {
            if (!await LoopbackPorts.WaitForBannerAsync(port, "220 ", () => process.HasExited))
            {
                var log = await instance.ReadLogAsync();
                await instance.DisposeAsync();
                throw new InvalidOperationException($"Postfix did not start answering on 127.0.0.1:{port}; its log:\n{log}");
            }
        }

        return instance;
    }

    /// <summary>Postfix's own log (maillog_file): every SMTP reply it gave and every delivery.</summary>
    public async Task<string> ReadLogAsync()
    {
        var path = Path.Combine(folder, "maillog");
        if (!File.Exists(path))
        {
            return "(no log)";
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Waits until a message containing <paramref name="marker"/> is delivered, and returns it whole; null if none arrives in time.</summary>
    public async Task<string?> WaitForDeliveryAsync(string marker)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!giveUp.IsCancellationRequested)
        {
            if (Directory.Exists(MaildirNew))
            {
                foreach (var file in Directory.GetFiles(MaildirNew))
                {
                    var text = await File.ReadAllTextAsync(file);
                    if (text.Contains(marker, StringComparison.Ordinal))
                    {
                        return text;
                    }
                }
            }

            // Pacing between looks at the mailbox (the condition polled), not a wait for the server.
            await Task.Delay(20);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcess.StopAsync(process, PostfixPath, "-c", Path.Combine(folder, "conf"), "stop");
        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise (files Postfix's user created).
        }
    }

    private static async Task<(string Uid, string Gid)> PostfixUserAsync() =>
        ((await RunAsync("id", "-u", "postfix")).Trim(), (await RunAsync("id", "-g", "postfix")).Trim());

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
    }
}
