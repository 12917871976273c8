using CsCheck;

namespace Vouch.Tests.Support;

/// <summary>Random edits of a valid byte stream for fuzz tests: up to eight inserts, removals or replacements anywhere.</summary>
internal static class ByteMutations
{
    /// <summary>The edits: each an operation (0 insert, 1 remove, 2 replace), a position and a byte.</summary>
    public static Gen<(int Operation, int Position, byte Value)[]> Edits { get; } =
        Gen.Int[1, 8].SelectMany(n => Gen.Select(Gen.Int[0, 2], Gen.Int[0, 5000], Gen.Byte).Array[n]);

    /// <summary><paramref name="seed"/> with <paramref name="edits"/> applied, positions taken modulo its length.</summary>
    public static byte[] Apply(IEnumerable<byte> seed, (int Operation, int Position, byte Value)[] edits)
    {
        var bytes = seed.ToList();
        foreach (var (operation, position, value) in edits)
        {
            var at = position % (bytes.Count + 1);
            if (operation == 0 || bytes.Count == 0)
            {
                bytes.Insert(at, value);
            }
            else if (at < bytes.Count)
            {
                if (operation == 1)
                {
                    bytes.RemoveAt(at);
                }
                else
                {
                    bytes[at] = value;
                }
            }
        }

        return [.. bytes];
    }
}
