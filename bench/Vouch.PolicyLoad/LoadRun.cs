using System.Diagnostics;
using System.Globalization;

namespace Vouch.PolicyLoad;

/// <summary>
/// The state of one load run, shared by its connections: which request is next, every request's latency,
/// the answers seen, and the progress lines. Request numbers are handed out in order, so the first
/// <see cref="Workload.Count"/> requests are the cold pass (the server's caches start empty) and the rest
/// repeat the workload warm. Every <see cref="LoadOptions.Window"/> requests, once all of them are answered,
/// one line reports that window: requests per second (window requests over the time since the previous
/// window completed), latency percentiles, CPU use (the server's, this client's, and the rest of the
/// machine's) and, when the server's process is known, its memory.
/// Thread-safe; counters are updated without locks, and a lock is taken once per window.
/// </summary>
internal sealed class LoadRun
{
    private readonly LoadOptions options;
    private readonly WatchedProcess? server;
    private readonly WatchedProcess client = new(Environment.ProcessId);
    private readonly TextWriter output;
    private readonly long[] latencies;
    private readonly int[] windowAnswered;
    private readonly long[] answers = new long[Enum.GetValues<AnswerKind>().Length];
    private readonly int coldCount;
    private readonly Lock reporting = new();
    private readonly bool[] windowDone;
    private readonly long[] windowDoneAt;
    private long claimed = -1;
    private long tickets;
    private long answered;
    private int coldAnswered;
    private long startedAt;
    private long coldDoneAt;
    private CpuReading atStart;
    private (double Rss, double Hwm)? serverMemoryAfterCold;

    // Progress lines, under the lock: the next window to print, and when and at what CPU readings the previous one ended.
    private int nextWindow;
    private long previousWindowAt;
    private CpuReading previousCpu;

    /// <summary>Prepares a run; nothing is sent until the connections start claiming requests.</summary>
    /// <param name="options">Requests, connections, window.</param>
    /// <param name="workload">The requests to send.</param>
    /// <param name="server">The server's process, for its CPU time and memory; null when unknown (another machine).</param>
    /// <param name="output">Where the lines go.</param>
    public LoadRun(LoadOptions options, Workload workload, WatchedProcess? server, TextWriter output)
    {
        this.options = options;
        this.server = server;
        this.output = output;
        Workload = workload;
        latencies = new long[options.Requests];
        var windows = (options.Requests + options.Window - 1) / options.Window;
        windowAnswered = new int[windows];
        windowDone = new bool[windows];
        windowDoneAt = new long[windows];
        coldCount = Math.Min(options.Requests, workload.Count);
    }

    /// <summary>The requests to send.</summary>
    public Workload Workload { get; }

    /// <summary>Whether each request is a whole message (RCPT, DATA, END-OF-MESSAGE).</summary>
    public bool Messages => options.Messages;

    /// <summary>Counts a DATA answer that prepended (the message's ticket).</summary>
    public void CountTicket() => Interlocked.Increment(ref tickets);

    /// <summary>Requests answered so far.</summary>
    public long Answered => Interlocked.Read(ref answered);

    /// <summary>Prints the header and starts the clock; call once, just before the connections start.</summary>
    public void Start(string target)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"policy-load: {options.Requests:N0} {Unit} to {target} over {options.Connections} connection(s), one request in flight each; workload {Workload.Count:N0} lines (pass 1 cold, later passes warm); a line every {options.Window:N0} {Unit}"));
        if (options.Messages)
        {
            output.WriteLine("Each message is three requests in turn on one connection: RCPT, DATA, END-OF-MESSAGE; rates and latencies below are per message.");
        }

        output.WriteLine("CPU columns: cores busy during the window (100% = one core) in the server, in this client, and in everything else on the machine (the DNS server, other work).");
        output.WriteLine(options.Messages ? " window  messages  pass    msg/s   p50 ms   p99 ms  p999 ms    max ms  server  client   other  RSS MiB  HWM MiB" : " window  requests  pass    req/s   p50 ms   p99 ms  p999 ms    max ms  server  client   other  RSS MiB  HWM MiB");
        atStart = ReadCpu();
        previousCpu = atStart;
        startedAt = Stopwatch.GetTimestamp();
        previousWindowAt = startedAt;
    }

    /// <summary>Claims the next request number; false when all have been claimed.</summary>
    public bool TryClaim(out long number)
    {
        number = Interlocked.Increment(ref claimed);
        return number < options.Requests;
    }

    /// <summary>Records that request <paramref name="number"/> was answered <paramref name="kind"/> after <paramref name="ticks"/> Stopwatch ticks.</summary>
    public void Complete(long number, long ticks, AnswerKind kind)
    {
        latencies[number] = ticks;
        Interlocked.Increment(ref answers[(int)kind]);
        Interlocked.Increment(ref answered);
        if (number < coldCount && Interlocked.Increment(ref coldAnswered) == coldCount)
        {
            Volatile.Write(ref coldDoneAt, Stopwatch.GetTimestamp());
            serverMemoryAfterCold = server?.Memory();
        }

        var window = (int)(number / options.Window);
        if (Interlocked.Increment(ref windowAnswered[window]) == WindowSize(window))
        {
            WindowDone(window, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Prints the totals: cold pass, warm passes, all; answers by kind; server memory; CPU per request.</summary>
    public void WriteSummary()
    {
        var endedAt = Stopwatch.GetTimestamp();
        var cpu = ReadCpu();
        var done = (int)Math.Min(Answered, options.Requests);
        var coldEnd = Volatile.Read(ref coldDoneAt);
        output.WriteLine(Segment("cold pass", 0, Math.Min(coldCount, done), startedAt, coldEnd == 0 ? endedAt : coldEnd));
        if (done > coldCount)
        {
            output.WriteLine(Segment("warm passes", coldCount, done, coldEnd, endedAt));
        }

        output.WriteLine(Segment("all", 0, done, startedAt, endedAt));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(options.Messages ? "RCPT " : "")}answers: DUNNO {Interlocked.Read(ref answers[(int)AnswerKind.Dunno])}, PREPEND {Interlocked.Read(ref answers[(int)AnswerKind.Prepend])}, defer {Interlocked.Read(ref answers[(int)AnswerKind.Defer])}, reject {Interlocked.Read(ref answers[(int)AnswerKind.Reject])}, other {Interlocked.Read(ref answers[(int)AnswerKind.Other])}{(options.Messages ? $"; DATA answers that prepended a ticket: {Interlocked.Read(ref tickets)}" : "")}"));
        if (server is not null)
        {
            output.WriteLine($"server memory (pid {server.Pid}): after the cold pass {Memory(serverMemoryAfterCold)}; at the end {Memory(server.Memory())}");
        }

        output.WriteLine($"CPU time: server {PerRequest(cpu.Server - atStart.Server, done)}, client {PerRequest(cpu.Client - atStart.Client, done)}, everything else on the machine {PerRequest(cpu.Other - atStart.Other, done)}");
    }

    private string Unit => options.Messages ? "messages" : "requests";

    private int WindowSize(int window) => Math.Min(options.Window, options.Requests - (window * options.Window));

    private void WindowDone(int window, long now)
    {
        lock (reporting)
        {
            windowDone[window] = true;
            windowDoneAt[window] = now;
            while (nextWindow < windowDone.Length && windowDone[nextWindow])
            {
                WriteWindow(nextWindow);
                nextWindow++;
            }
        }
    }

    private void WriteWindow(int window)
    {
        var first = window * options.Window;
        var count = WindowSize(window);
        var at = windowDoneAt[window];
        var seconds = Math.Max(Stopwatch.GetElapsedTime(previousWindowAt, at).TotalSeconds, 1e-9);
        var latency = LatencySummary.Of(latencies.AsSpan(first, count));
        var pass = first + count <= coldCount ? "cold" : first >= coldCount ? "warm" : "mixed";
        var cpu = ReadCpu();
        var memory = server?.Memory();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{window + 1,7} {first + count,9} {pass,5} {count / seconds,8:0} {latency.P50,8:0.000} {latency.P99,8:0.000} {latency.P999,8:0.000} {latency.Max,9:0.000} {Share(cpu.Server, previousCpu.Server, seconds),7} {Share(cpu.Client, previousCpu.Client, seconds),7} {Share(cpu.Other, previousCpu.Other, seconds),7} {(memory is { } m ? m.Rss.ToString("0.0", CultureInfo.InvariantCulture) : "-"),8} {(memory is { } h ? h.Hwm.ToString("0.0", CultureInfo.InvariantCulture) : "-"),8}"));
        output.Flush();
        previousWindowAt = at;
        previousCpu = cpu;
    }

    private CpuReading ReadCpu()
    {
        var serverCpu = server?.CpuTime();
        var clientCpu = client.CpuTime();
        var machine = MachineCpu.Busy();
        var other = machine - (serverCpu ?? TimeSpan.Zero) - clientCpu;
        return new CpuReading(serverCpu, clientCpu, other);
    }

    private string Segment(string name, int from, int to, long begin, long end)
    {
        var count = Math.Max(0, to - from);
        var seconds = Math.Max(Stopwatch.GetElapsedTime(begin, end).TotalSeconds, 1e-9);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: {count:N0} {Unit} in {seconds:0.000} s, {count / seconds:N0} {Unit}/s; latency {LatencySummary.Of(latencies.AsSpan(from, count))}");
    }

    private static string Share(TimeSpan? now, TimeSpan? before, double seconds) =>
        now is { } n && before is { } b ? string.Create(CultureInfo.InvariantCulture, $"{(n - b).TotalSeconds / seconds * 100:0}%") : "-";

    private string PerRequest(TimeSpan? cpu, int requests) =>
        cpu is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.TotalSeconds:0.0} s ({c.TotalMicroseconds / Math.Max(requests, 1):0.0} µs/{(options.Messages ? "message" : "request")})") : "not readable";

    private static string Memory((double Rss, double Hwm)? memory) =>
        memory is { } m ? string.Create(CultureInfo.InvariantCulture, $"VmRSS {m.Rss:0.0} MiB, VmHWM {m.Hwm:0.0} MiB") : "not readable";
}
