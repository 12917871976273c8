using Vouch.Dns;
using Vouch.Dns.Zones;
using YamlDotNet.RepresentationModel;

namespace Vouch.Tests.Conformance;

/// <summary>
/// The openspf RFC 7208 test suite, read from ../shared/conformance/rfc7208-tests.yml (never copied into the
/// repository), its zonedata translated into <see cref="ZoneData"/> following the suite's driver conventions:
/// SPF-type data is also served as TXT unless the name has TXT entries (TXT: NONE means none), and TIMEOUT makes
/// every question for which the name has no data time out.
/// </summary>
internal sealed class SpfTestSuite
{
    public const string FileName = "rfc7208-tests.yml";

    private static readonly Lazy<SpfTestSuite> LoadedSuite = new(Load);

    private static readonly DnsRecordType[] QueriedTypes = [DnsRecordType.TXT, DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.MX, DnsRecordType.PTR];

    private SpfTestSuite(string path, IReadOnlyList<SuiteCase> cases)
    {
        Path = path;
        Cases = cases;
    }

    public static SpfTestSuite Shared => LoadedSuite.Value;

    public static string ExpectedPath => System.IO.Path.Combine(TestPaths.SharedFolder, "conformance", FileName);

    public string Path { get; }

    public IReadOnlyList<SuiteCase> Cases { get; }

    private static SpfTestSuite Load()
    {
        var path = ExpectedPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The RFC 7208 test suite is missing: expected {path}. Put rfc7208-tests.yml in ../shared/conformance/ beside the repository, or set VOUCH_SHARED to the shared folder.", path);
        }

        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var cases = new List<SuiteCase>();
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var section = Scalar(root, "description") ?? "";
            var (zone, hasTimeouts) = root.Children.TryGetValue(new YamlScalarNode("zonedata"), out var zoneNode)
                ? ReadZone((YamlMappingNode)zoneNode)
                : (new ZoneData(), false);
            foreach (var (key, value) in ((YamlMappingNode)root.Children[new YamlScalarNode("tests")]).Children)
            {
                var test = (YamlMappingNode)value;
                var results = test.Children[new YamlScalarNode("result")] is YamlSequenceNode many
                    ? many.Children.Select(n => ((YamlScalarNode)n).Value!).ToArray()
                    : [Scalar(test, "result")!];
                cases.Add(new SuiteCase(section, ((YamlScalarNode)key).Value!, Scalar(test, "description") ?? "",
                    Scalar(test, "host")!, Scalar(test, "mailfrom") ?? "", Scalar(test, "helo") ?? "", results,
                    Scalar(test, "explanation"), Scalar(test, "spec") ?? "", zone, hasTimeouts));
            }
        }

        return new SpfTestSuite(path, cases);
    }

    private static (ZoneData Zone, bool HasTimeouts) ReadZone(YamlMappingNode zonedata)
    {
        var zone = new ZoneData();
        var hasTimeouts = false;
        var ttl = TimeSpan.FromHours(1);
        foreach (var (nameNode, entriesNode) in zonedata.Children)
        {
            var name = DnsName.Normalize(((YamlScalarNode)nameNode).Value!);
            var timeout = false;
            var hasTxtEntry = false;
            var spf = new List<TxtRecord>();
            var present = new HashSet<DnsRecordType>();
            foreach (var entry in ((YamlSequenceNode)entriesNode).Children)
            {
                if (entry is YamlScalarNode { Value: "TIMEOUT" })
                {
                    timeout = true;
                    continue;
                }

                var (typeNode, data) = ((YamlMappingNode)entry).Children.Single();
                var type = Enum.Parse<DnsRecordType>(((YamlScalarNode)typeNode).Value!);
                switch (type)
                {
                    case DnsRecordType.SPF:
                        var spfRecord = ReadTxt(data);
                        spf.Add(spfRecord);
                        zone.Add(new ResourceRecord(name, DnsRecordType.SPF, ttl, spfRecord));
                        break;
                    case DnsRecordType.TXT:
                        hasTxtEntry = true;
                        if (data is YamlScalarNode { Value: "NONE" })
                        {
                            break;
                        }

                        zone.Add(new ResourceRecord(name, DnsRecordType.TXT, ttl, ReadTxt(data)));
                        present.Add(DnsRecordType.TXT);
                        break;
                    case DnsRecordType.MX:
                        var mx = (YamlSequenceNode)data;
                        zone.Add(new ResourceRecord(name, DnsRecordType.MX, ttl,
                            new MxRecord(ushort.Parse(((YamlScalarNode)mx.Children[0]).Value!), DnsName.Normalize(((YamlScalarNode)mx.Children[1]).Value!))));
                        present.Add(DnsRecordType.MX);
                        break;
                    case DnsRecordType.A:
                    case DnsRecordType.AAAA:
                        zone.Add(new ResourceRecord(name, type, ttl, System.Net.IPAddress.Parse(((YamlScalarNode)data).Value!)));
                        present.Add(type);
                        break;
                    case DnsRecordType.PTR:
                    case DnsRecordType.CNAME:
                        zone.Add(new ResourceRecord(name, type, ttl, DnsName.Normalize(((YamlScalarNode)data).Value!)));
                        present.Add(type);
                        break;
                    default:
                        throw new InvalidDataException($"zonedata type {type} at {name} is not handled");
                }
            }

            if (!hasTxtEntry)
            {
                foreach (var record in spf)
                {
                    zone.Add(new ResourceRecord(name, DnsRecordType.TXT, ttl, record));
                    present.Add(DnsRecordType.TXT);
                }
            }

            if (timeout)
            {
                hasTimeouts = true;
                foreach (var type in QueriedTypes.Where(t => !present.Contains(t)))
                {
                    zone.InjectFailure(name, DnsStatus.Timeout, type);
                }
            }
        }

        return (zone, hasTimeouts);
    }

    private static TxtRecord ReadTxt(YamlNode data) => data switch
    {
        YamlSequenceNode strings => new TxtRecord(strings.Children.Select(s => ((YamlScalarNode)s).Value ?? "").ToArray()),
        YamlScalarNode text => new TxtRecord([text.Value ?? ""]),
        _ => throw new InvalidDataException($"unexpected TXT data {data}"),
    };

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
