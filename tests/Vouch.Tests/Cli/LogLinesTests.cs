using System.IO.Compression;
using System.Text;
using Vouch.Cli;
using Vouch.Cli.Replay;

namespace Vouch.Tests.Cli;

public sealed class LogLinesTests
{
    private const string Log = "Dec 07 00:53:35 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]\nline two \u00fc\r\nlast";

    [Fact]
    public async Task APlainFileIsReadLineByLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, Log);
            Assert.Equal(Log.Replace("\r", "", StringComparison.Ordinal).Split('\n'), await ReadAsync(new LogLines(TextReader.Null).ReadAsync([path], CancellationToken.None)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Utf8LinesComeWithoutTheirEndsAcrossBufferBoundariesPlainOrGzipped(bool gzipped)
    {
        // A line longer than the reader's buffers, CRLF and LF ends, and a last line without an end.
        var lines = new[] { "first \u00fc", new string('x', 200_000), "", "after the long one", "last" };
        var text = $"{lines[0]}\r\n{lines[1]}\n{lines[2]}\n{lines[3]}\r\n{lines[4]}";
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = File.Create(path))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                if (gzipped)
                {
                    await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
                    await gzip.WriteAsync(bytes);
                }
                else
                {
                    await file.WriteAsync(bytes);
                }
            }

            var reader = new LogLines(TextReader.Null);
            var read = new List<string>();
            await foreach (var line in reader.ReadUtf8Async([path, path], CancellationToken.None))
            {
                read.Add(Encoding.UTF8.GetString(line.Span));
            }

            Assert.Equal([.. lines, .. lines], read);
            Assert.Equal(2 * new FileInfo(path).Length, reader.BytesRead);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Utf8LinesFromStandardInputAreItsLines()
    {
        var read = new List<string>();
        await foreach (var line in new LogLines(new StringReader("a\n\u00fc\r\nb")).ReadUtf8Async(["-"], CancellationToken.None))
        {
            read.Add(Encoding.UTF8.GetString(line.Span));
        }

        Assert.Equal(["a", "\u00fc", "b"], read);
    }

    [Fact]
    public async Task GzipIsRecognisedByItsMagicBytesWhateverTheName()
    {
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = File.Create(path))
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                await gzip.WriteAsync(Encoding.UTF8.GetBytes(Log));
            }

            Assert.Equal(3, (await ReadAsync(new LogLines(TextReader.Null).ReadAsync([path], CancellationToken.None))).Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AGzippedLogParsesAsItStreams()
    {
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("""
                Dec 07 00:53:35 mx postfix/smtpd[1]: 1A2B3C4D5E: client=mx.example.com[192.0.2.1]
                Dec 07 00:53:35 mx postfix/qmgr[2]: 1A2B3C4D5E: from=<a@example.com>, size=1, nrcpt=1 (queue active)
                Dec 07 00:53:36 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from mx.example.com[192.0.2.1]: 554 5.7.1 no; from=<b@example.com> to=<u@example.net> proto=ESMTP helo=<mx.example.com>

                """));
        }

        compressed.Position = 0;
        var parser = new PostfixLogParser();
        var messages = new List<ReplayedMessage>();
        await foreach (var message in parser.ParseAsync(LogLines.ReadLinesAsync(compressed)))
        {
            messages.Add(message);
        }

        // The refusal's session never disconnects in this log: Finish yields it.
        Assert.Equal([("a@example.com", false), ("b@example.com", true)], messages.Select(m => (m.Sender, m.RefusedByPostfix)));
        Assert.Equal(3, parser.LinesRead);
    }

    [Fact]
    public async Task AStreamThatCannotSeekTrickledAByteAtATimeIsStillRecognised()
    {
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Log));
        }

        await using var trickle = new TrickleStream(compressed.ToArray());
        Assert.Equal("last", (await ReadAsync(LogLines.ReadLinesAsync(trickle)))[^1]);
    }

    [Theory]
    [InlineData(new byte[0], 0)]
    [InlineData(new byte[] { 0x1f }, 1)]
    [InlineData(new byte[] { 0x41, 0xff, 0x0a, 0x42 }, 2)]
    public async Task ShortOrInvalidTextIsReadAsItIs(byte[] bytes, int lines)
    {
        await using var stream = new MemoryStream(bytes);
        Assert.Equal(lines, (await ReadAsync(LogLines.ReadLinesAsync(stream))).Count);
    }

    [Fact]
    public async Task AMissingFileThrowsAnIOException() =>
        await Assert.ThrowsAnyAsync<IOException>(async () => await ReadAsync(new LogLines(TextReader.Null).ReadAsync(["/nonexistent/vouch-replay.log"], CancellationToken.None)));

    private static async Task<List<string>> ReadAsync(IAsyncEnumerable<string> lines)
    {
        var read = new List<string>();
        await foreach (var line in lines)
        {
            read.Add(line);
        }

        return read;
    }

    /// <summary>Standard input's manners: no seeking, one byte per read.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= data.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = data[position++];
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
