using Tomlyn;
using Tomlyn.Syntax;

namespace Vouch.Configuration;

/// <summary>A TOML scalar: string, integer, float, boolean or date-time, as Tomlyn parsed it.</summary>
internal sealed class ConfigValue(string path, int line, ValueSyntax syntax) : ConfigNode(path, line)
{
    /// <summary>The parsed value.</summary>
    public ValueSyntax Syntax { get; } = syntax;

    /// <inheritdoc />
    public override string Description => Syntax switch
    {
        StringValueSyntax text => $"the string \"{text.Value}\"",
        IntegerValueSyntax integer => $"the integer {integer.Value}",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        DateTimeValueSyntax { Value.Kind: TomlDateTimeKind.LocalDate } => "a date",
        DateTimeValueSyntax { Value.Kind: TomlDateTimeKind.LocalTime } => "a time",
        DateTimeValueSyntax { Value.Kind: TomlDateTimeKind.LocalDateTime } => "a date-time without offset",
        DateTimeValueSyntax => "a date-time",
        _ => "a value",
    };
}
