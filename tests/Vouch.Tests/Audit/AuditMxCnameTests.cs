using System.Text.Json;

using Vouch.Tests.Cli;

namespace Vouch.Tests.Audit;

/// <summary>
/// `vouch audit` on an MX host that is an alias (RFC 2181 §10.3: the name in an MX record must not be a CNAME):
/// a warning, while the address at the chain's end is still audited as the domain's server.
/// </summary>
public sealed class AuditMxCnameTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("vouch-audit-cname-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task AnMxHostThatIsACnameIsAWarningAndItsAddressIsStillAServer()
    {
        var zone = World("owner.example", """
            @       IN MX 10 mx.owner.example.
            @       IN TXT "v=spf1 mx -all"
            mx      IN CNAME host.owner.example.
            host    IN A 192.0.2.10
            """);

        var (_, json) = await AuditJsonAsync("owner.example", zone);

        var finding = json.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "MX-CNAME");
        Assert.Equal(
            ("warn", "mx.owner.example", "RFC 2181 §10.3"),
            (finding.GetProperty("severity").GetString(), finding.GetProperty("subject").GetString(), finding.GetProperty("rfc").GetString()));
        Assert.Equal("mx.owner.example. CNAME host.owner.example.", finding.GetProperty("evidence").GetString());
        Assert.Contains("host.owner.example", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        var server = Assert.Single(json.GetProperty("servers").EnumerateArray());
        Assert.Equal(("192.0.2.10", "MX host mx.owner.example"), (server.GetProperty("ip").GetString(), server.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task AnMxHostWithItsOwnAddressIsNoMxCname()
    {
        var zone = World("owner.example", """
            @       IN MX 10 mx.owner.example.
            @       IN TXT "v=spf1 mx -all"
            mx      IN A 192.0.2.10
            """);

        var (_, json) = await AuditJsonAsync("owner.example", zone);

        Assert.DoesNotContain("MX-CNAME", Ids(json));
        Assert.Equal("192.0.2.10", Assert.Single(json.GetProperty("servers").EnumerateArray()).GetProperty("ip").GetString());
    }

    private static async Task<(int Exit, JsonElement Json)> AuditJsonAsync(string domain, string zone, params string[] more)
    {
        var (exit, output, error) = await CliRunner.RunAsync(["audit", domain, "--zone", zone, "--offline", "--format", "json", .. more]);
        Assert.True(exit is 0 or 1 or 3, $"exit {exit}: {error}");
        using var document = JsonDocument.Parse(output);
        var json = document.RootElement.Clone();
        Assert.Equal(exit, json.GetProperty("exit_code").GetInt32());
        return (exit, json);
    }

    private static IReadOnlyList<string> Ids(JsonElement json) => [.. json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];

    private string World(string origin, string records)
    {
        var text = $"$ORIGIN {origin}.\n$TTL 300\n@ IN SOA ns.{origin}. hostmaster.{origin}. 1 3600 600 604800 300\n{records}\n";
        var path = Path.Combine(folder, $"{origin}-{Guid.NewGuid():N}.zone");
        File.WriteAllText(path, text);
        return path;
    }
}
