using CsCheck;
using Vouch.Policy;
using Vouch.Tests.Support;
using static Vouch.Tests.Support.MilterPackets;

namespace Vouch.Tests.Server.Milter;

/// <summary>Random and mutated packet streams: a connection never throws out of the server, never hangs, and the server goes on serving.</summary>
public sealed class MilterFuzzTests
{
    [Fact]
    public async Task MalformedStreamsNeverCrashTheServiceAndAWellFormedConnectionIsServedAfterThem()
    {
        var responder = await MilterProtocolTests.ResponderAsync(PolicyMode.Enforce);
        byte[] valid = [.. Negotiate(), .. Transaction("203.0.113.66", "spoofer.example.net", "<alice@example.com>", [("Authentication-Results", "mx.receiver.example; spf=pass")]), .. Transaction("192.0.2.10", "mail.example.com", "<alice@example.com>", []), .. Simple('Q')];
        var mutated = Gen.Select(ByteMutations.Edits, Gen.Int[1, 64]).Select((edits, chunk) => (Input: ByteMutations.Apply(valid, edits), Chunk: chunk));
        var random = Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[1, 64]).Select((bytes, chunk) => (Input: (byte[])[.. Negotiate(), .. bytes], Chunk: chunk));

        await Gen.OneOf(mutated, random).SampleAsync(async sample =>
        {
            using var log = new StringWriter();
            var replies = await MilterProtocolTests.ServeAsync(responder, responder.Options, sample.Input, log, sample.Chunk);
            Assert.All(replies, reply => Assert.Contains(reply.Command, "Ocyimps"));
        }, iter: 300);

        // The refused message: its RCPT and its end of message refused; then the registered one with its two headers.
        var after = await MilterProtocolTests.ServeAsync(responder, responder.Options, valid);
        Assert.Equal("Oyyciic", new string([.. after.Select(reply => reply.Command)]));
    }
}
