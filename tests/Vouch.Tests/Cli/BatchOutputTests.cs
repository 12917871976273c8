using System.Text;
using Vouch.Cli;

namespace Vouch.Tests.Cli;

public sealed class BatchOutputTests
{
    private static readonly string[] Lines = ["{\"a\":\"é ü 漢\"}", "", new string('x', 70_000), "{\"b\":1}"];

    [Fact]
    public async Task BytesToAUtf8StreamAndTextToAnyOtherWriterGiveTheSameLinesAfterWhatTheWriterHeld()
    {
        using var stream = new MemoryStream();
        await using (var streamWriter = new StreamWriter(stream, new UTF8Encoding(false), 16, leaveOpen: true))
        {
            await streamWriter.WriteAsync("first ");
            await WriteAllAsync(streamWriter);
        }

        await using var textWriter = new StringWriter();
        await textWriter.WriteAsync("first ");
        await WriteAllAsync(textWriter);

        Assert.Equal(textWriter.ToString(), Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal("first " + string.Join(textWriter.NewLine, Lines) + textWriter.NewLine, textWriter.ToString());
    }

    private static async Task WriteAllAsync(TextWriter writer)
    {
        var output = await BatchOutput.ForAsync(writer, CancellationToken.None);
        foreach (var line in Lines)
        {
            await output.WriteLineAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None);
        }

        await output.FlushAsync(CancellationToken.None);
    }
}
