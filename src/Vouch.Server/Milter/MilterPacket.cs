namespace Vouch.Server.Milter;

/// <summary>One packet from the MTA: its command byte and its data (valid until the next read).</summary>
/// <param name="Command">The first byte after the length; not necessarily a known <see cref="MilterCommand"/>.</param>
/// <param name="Data">What follows it.</param>
public readonly record struct MilterPacket(MilterCommand Command, ReadOnlyMemory<byte> Data);
