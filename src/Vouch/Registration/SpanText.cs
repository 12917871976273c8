using System.Globalization;
using System.Net;

namespace Vouch.Registration;

/// <summary>Text appended into a span of characters, for details written where they are read; past its end it only records that it overflowed.</summary>
internal ref struct SpanText(Span<char> destination)
{
    private readonly Span<char> destination = destination;

    /// <summary>Characters written.</summary>
    public int Length { get; private set; }

    /// <summary>True when something did not fit.</summary>
    public bool Overflowed { get; private set; }

    public void Append(string text) => Append(text.AsSpan());

    public void Append(ReadOnlySpan<char> text)
    {
        if (!Overflowed && text.TryCopyTo(destination[Length..]))
        {
            Length += text.Length;
        }
        else
        {
            Overflowed = true;
        }
    }

    public void Append(char character)
    {
        if (!Overflowed && Length < destination.Length)
        {
            destination[Length++] = character;
        }
        else
        {
            Overflowed = true;
        }
    }

    public void Append(int number)
    {
        if (!Overflowed && number.TryFormat(destination[Length..], out var written, provider: CultureInfo.InvariantCulture))
        {
            Length += written;
        }
        else
        {
            Overflowed = true;
        }
    }

    public void Append(IPAddress address)
    {
        if (!Overflowed && address.TryFormat(destination[Length..], out var written))
        {
            Length += written;
        }
        else
        {
            Overflowed = true;
        }
    }
}
