using System.Diagnostics;
using System.Globalization;
using Vouch.PolicyLoad;

namespace Vouch.MilterLoad;

/// <summary>
/// The state of one load run, shared by its connections: which transaction is next, every transaction's
/// latency, the outcomes and header changes seen, and the progress lines. Transaction numbers are handed out
/// in order, so the first <see cref="MilterWorkload.Count"/> transactions are the cold pass (the server's
/// caches start empty) and the rest repeat the workload warm. Every <see cref="MilterLoadOptions.Window"/>
/// transactions, once all of them are done, one line reports that window: transactions per second, latency
/// percentiles, CPU use (the server's, this client's, the rest of the machine's) and the server's memory.
/// Thread-safe; counters are updated without locks, and a lock is taken once per window.
/// </summary>
internal sealed class MilterLoadRun
{
    private readonly WatchedProcess? server;
    private readonly WatchedProcess client = new(Environment.ProcessId);
    private readonly TextWriter output;
    private readonly long[] latencies;
    private readonly int[] windowAnswered;
    private readonly long[] outcomes = new long[Enum.GetValues<MilterOutcome>().Length];
    private readonly int coldCount;
    private readonly Lock reporting = new();
    private readonly bool[] windowDone;
    private readonly long[] windowDoneAt;
    private long claimed = -1;
    private long answered;
    private long refusedEarly;
    private long inserts;
    private long deletes;
    private long forgedDeleted;
    private long otherModifications;
    private long progress;
    private int coldAnswered;
    private long startedAt;
    private long coldDoneAt;
    private CpuReading atStart;
    private (double Rss, double Hwm)? serverMemoryAfterCold;
    private int nextWindow;
    private long previousWindowAt;
    private CpuReading previousCpu;

    /// <summary>Prepares a run; nothing is sent until the connections start claiming transactions.</summary>
    /// <param name="options">Transactions, connections, window, how packets are written.</param>
    /// <param name="workload">The sessions to replay.</param>
    /// <param name="server">The server's process, for its CPU time and memory; null when unknown.</param>
    /// <param name="output">Where the lines go.</param>
    public MilterLoadRun(MilterLoadOptions options, MilterWorkload workload, WatchedProcess? server, TextWriter output)
    {
        Options = options;
        Workload = workload;
        this.server = server;
        this.output = output;
        latencies = new long[options.Transactions];
        var windows = (options.Transactions + options.Window - 1) / options.Window;
        windowAnswered = new int[windows];
        windowDone = new bool[windows];
        windowDoneAt = new long[windows];
        coldCount = Math.Min(options.Transactions, workload.Count);
    }

    /// <summary>What the run does.</summary>
    public MilterLoadOptions Options { get; }

    /// <summary>The sessions to replay.</summary>
    public MilterWorkload Workload { get; }

    /// <summary>Transactions done so far.</summary>
    public long Answered => Interlocked.Read(ref answered);

    /// <summary>Prints the header and starts the clock; call once, just before the connections start.</summary>
    public void Start(string target)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"milter-load: {Options.Transactions:N0} transactions to {target} over {Options.Connections} concurrent connection(s), a new connection per transaction; {(Options.WritePerPacket ? "one write per packet" : "packets up to each awaited reply in one write")}; workload {Workload.Count:N0} lines (pass 1 cold, later passes warm); a line every {Options.Window:N0} transactions"));
        output.WriteLine("Latency: connect to the final reply to end of message. CPU columns: cores busy during the window (100% = one core) in the server, in this client, and in everything else on the machine.");
        output.WriteLine(" window   transac  pass     tx/s   p50 ms   p99 ms  p999 ms    max ms  server  client   other  RSS MiB  HWM MiB");
        atStart = ReadCpu();
        previousCpu = atStart;
        startedAt = Stopwatch.GetTimestamp();
        previousWindowAt = startedAt;
    }

    /// <summary>Claims the next transaction number; false when all have been claimed.</summary>
    public bool TryClaim(out long number)
    {
        number = Interlocked.Increment(ref claimed);
        return number < Options.Transactions;
    }

    /// <summary>Records that transaction <paramref name="number"/> ended with <paramref name="result"/> after <paramref name="ticks"/> Stopwatch ticks.</summary>
    public void Complete(long number, long ticks, TransactionResult result)
    {
        latencies[number] = ticks;
        Interlocked.Increment(ref outcomes[(int)result.Outcome]);
        if (result.Refused is not null)
        {
            Interlocked.Increment(ref refusedEarly);
        }

        Interlocked.Add(ref inserts, result.Inserts);
        Interlocked.Add(ref deletes, result.Deletes);
        Interlocked.Add(ref forgedDeleted, result.ForgedDeleted);
        Interlocked.Add(ref otherModifications, result.OtherModifications);
        Interlocked.Add(ref progress, result.Progress);
        Interlocked.Increment(ref answered);
        if (number < coldCount && Interlocked.Increment(ref coldAnswered) == coldCount)
        {
            Volatile.Write(ref coldDoneAt, Stopwatch.GetTimestamp());
            serverMemoryAfterCold = server?.Memory();
        }

        var window = (int)(number / Options.Window);
        if (Interlocked.Increment(ref windowAnswered[window]) == WindowSize(window))
        {
            WindowDone(window, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Prints the totals: cold pass, warm passes, all; outcomes and header changes; server memory; CPU per transaction.</summary>
    public void WriteSummary()
    {
        var endedAt = Stopwatch.GetTimestamp();
        var cpu = ReadCpu();
        var done = (int)Math.Min(Answered, Options.Transactions);
        var coldEnd = Volatile.Read(ref coldDoneAt);
        output.WriteLine(Segment("cold pass", 0, Math.Min(coldCount, done), startedAt, coldEnd == 0 ? endedAt : coldEnd));
        if (done > coldCount)
        {
            output.WriteLine(Segment("warm passes", coldCount, done, coldEnd, endedAt));
        }

        output.WriteLine(Segment("all", 0, done, startedAt, endedAt));
        long Count(MilterOutcome outcome) => Interlocked.Read(ref outcomes[(int)outcome]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outcomes: continue {Count(MilterOutcome.Continue)}, accept {Count(MilterOutcome.Accept)}, tempfail {Count(MilterOutcome.TemporaryFailure)}, reject {Count(MilterOutcome.Reject)}, other {Count(MilterOutcome.Other)}; refused or accepted before the end of the message {Interlocked.Read(ref refusedEarly)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"modifications: {Interlocked.Read(ref inserts)} inserted headers ({PerTransaction(Interlocked.Read(ref inserts), done)} per transaction), {Interlocked.Read(ref deletes)} deleted ({Interlocked.Read(ref forgedDeleted)} of them the forged Authentication-Results), {Interlocked.Read(ref otherModifications)} other; {Interlocked.Read(ref progress)} progress packets"));
        if (server is not null)
        {
            output.WriteLine($"server memory (pid {server.Pid}): after the cold pass {Memory(serverMemoryAfterCold)}; at the end {Memory(server.Memory())}");
        }

        output.WriteLine($"CPU time: server {PerItem(cpu.Server - atStart.Server, done)}, client {PerItem(cpu.Client - atStart.Client, done)}, everything else on the machine {PerItem(cpu.Other - atStart.Other, done)}");
    }

    private int WindowSize(int window) => Math.Min(Options.Window, Options.Transactions - (window * Options.Window));

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
        var first = window * Options.Window;
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
            $"{name}: {count:N0} transactions in {seconds:0.000} s, {count / seconds:N0} transactions/s; latency {LatencySummary.Of(latencies.AsSpan(from, count))}");
    }

    private static string PerTransaction(long total, int transactions) =>
        (total / (double)Math.Max(transactions, 1)).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Share(TimeSpan? now, TimeSpan? before, double seconds) =>
        now is { } n && before is { } b ? string.Create(CultureInfo.InvariantCulture, $"{(n - b).TotalSeconds / seconds * 100:0}%") : "-";

    private static string PerItem(TimeSpan? cpu, int transactions) =>
        cpu is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.TotalSeconds:0.0} s ({c.TotalMicroseconds / Math.Max(transactions, 1):0.0} µs/transaction)") : "not readable";

    private static string Memory((double Rss, double Hwm)? memory) =>
        memory is { } m ? string.Create(CultureInfo.InvariantCulture, $"VmRSS {m.Rss:0.0} MiB, VmHWM {m.Hwm:0.0} MiB") : "not readable";
}
