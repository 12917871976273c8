using System.Text.Json;
using Vouch.Checks;
using Vouch.Spf;

namespace Vouch.Cli;

/// <summary>
/// Writes a check's outcome as one JSON object. Field names are an interface other tools read:
/// keep them (spf and helo_spf: result, domain, mechanism, explanation, dns_lookups, void_lookups, problem).
/// </summary>
internal static class JsonReport
{
    public static void Write(Utf8JsonWriter writer, CheckOutcome outcome)
    {
        writer.WriteStartObject();
        writer.WriteString("ip", outcome.Request.Client.ToString());
        writer.WriteString("sender", outcome.Request.Sender);
        writer.WriteString("helo", outcome.Request.Helo);
        writer.WritePropertyName("spf");
        WriteSpf(writer, outcome.MailFromSpf);
        writer.WritePropertyName("helo_spf");
        WriteSpf(writer, outcome.HeloSpf);
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, int line, string error)
    {
        writer.WriteStartObject();
        writer.WriteNumber("line", line);
        writer.WriteString("error", error);
        writer.WriteEndObject();
    }

    private static void WriteSpf(Utf8JsonWriter writer, SpfResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("result", result.Code.ToToken());
        writer.WriteString("domain", result.Domain);
        WriteNullable(writer, "mechanism", result.Mechanism);
        WriteNullable(writer, "explanation", result.Explanation);
        writer.WriteNumber("dns_lookups", result.DnsLookups);
        writer.WriteNumber("void_lookups", result.VoidLookups);
        WriteNullable(writer, "problem", result.Problem);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
