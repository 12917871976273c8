using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Vouch.Server;

namespace Vouch.Benchmarks;

/// <summary>
/// A whole policy request in steady state, as one connection of <c>vouch serve</c> handles it: the request's
/// bytes read (<see cref="PolicyRequestReader"/>), answered (<see cref="PolicyResponder"/>: the check on a warm
/// cache, the decision, the Received-SPF header) and the answer's bytes written, with the decision log line
/// through the service's logging path (<see cref="LoggerLineWriter"/>, <see cref="LineLoggerProvider"/>,
/// <see cref="BackgroundLineWriter"/>) to a null stream. Per request, over the first
/// <see cref="Requests"/> lines of the bench corpus' workload, each request with an instance of its own.
/// </summary>
[MemoryDiagnoser]
public class PolicyRequestBenchmarks : IDisposable
{
    /// <summary>Requests per invocation.</summary>
    public const int Requests = 5000;

    private const int InstanceDigits = 10;

    private readonly MemoryStream output = new();
    private readonly List<int> instanceOffsets = [];
    private byte[] requests = [];
    private long nextInstance;
    private PolicyServer server = null!;
    private BackgroundLineWriter logDestination = null!;
    private ILoggerFactory loggerFactory = null!;

    /// <summary>The configuration: every check (the default), or SPF for MAIL FROM only.</summary>
    [Params(BenchCorpus.Default, BenchCorpus.MailFromOnly)]
    public string Configuration { get; set; } = BenchCorpus.Default;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var checker = await BenchCorpus.CreateCheckerAsync(Configuration);
        var text = new StringBuilder();
        foreach (var line in BenchCorpus.WorkloadLines(Requests))
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            var root = document.RootElement;
            text.Append("request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\n")
                .Append("client_address=").Append(root.GetProperty("ip").GetString()).Append("\nclient_name=unknown\nreverse_client_name=unknown\n")
                .Append("helo_name=").Append(root.GetProperty("helo").GetString()).Append('\n')
                .Append("sender=").Append(root.GetProperty("sender").GetString()).Append("\nrecipient=user@example.net\nrecipient_count=0\n")
                .Append("queue_id=\nsasl_method=\nsasl_username=\nsasl_sender=\nsize=0\nccert_subject=\nccert_issuer=\n")
                .Append("ccert_fingerprint=\nccert_pubkey_fingerprint=\nencryption_protocol=TLSv1.3\nencryption_cipher=TLS_AES_256_GCM_SHA384\n")
                .Append("encryption_keysize=256\netrn_domain=\nstress=\nserver_address=192.0.2.25\nserver_port=25\npolicy_context=\n")
                .Append("compatibility_level=3.6\nmail_version=3.7.11\ninstance=bench.");
            instanceOffsets.Add(Encoding.UTF8.GetByteCount(text.ToString()));
            text.Append('0', InstanceDigits).Append("\n\n");
        }

        requests = Encoding.UTF8.GetBytes(text.ToString());
        logDestination = new BackgroundLineWriter(new StreamWriter(Stream.Null, new UTF8Encoding(false), 1 << 16));
        loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new LineLoggerProvider(logDestination)));
        var log = new LoggerLineWriter(loggerFactory.CreateLogger("Vouch.Server"));
        var responder = new PolicyResponder(checker, checker.Configuration.Server, log);
        server = new PolicyServer(responder, checker.Configuration.Server, log);

        // Warm: every DNS answer the requests need is in the cache.
        await OneConnectionAsync();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        logDestination.Dispose();
        loggerFactory.Dispose();
        output.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The requests one after the other on one connection.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task<long> OneConnectionAsync()
    {
        // A new instance for every request, or the responder would answer from its per-message cache.
        foreach (var offset in instanceOffsets)
        {
            var instance = nextInstance++;
            for (var digit = InstanceDigits - 1; digit >= 0; digit--)
            {
                requests[offset + digit] = (byte)('0' + (instance % 10));
                instance /= 10;
            }
        }

        output.SetLength(0);
        using var input = new MemoryStream(requests, writable: false);
        await server.ServeConnectionAsync(input, output, "bench", CancellationToken.None);
        return output.Length;
    }
}
