using System.Text.Json;

namespace Vouch.Cli;

/// <summary>Arrays of strings in the command's JSON outputs (check, explain, audit), written one way.</summary>
internal static class JsonArrays
{
    /// <summary>Writes <paramref name="name"/>: [values…].</summary>
    public static void WriteStringArray(this Utf8JsonWriter writer, JsonEncodedText name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes <paramref name="name"/>: [values…].</summary>
    public static void WriteStringArray(this Utf8JsonWriter writer, string name, IEnumerable<string> values) =>
        writer.WriteStringArray(JsonEncodedText.Encode(name), values);
}
