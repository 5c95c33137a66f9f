using System.Text;

namespace Keyward.Age.Format;

/// <summary>
/// Reads the header from the start of a stream with a strict line reader: LF only, no whitespace tolerance,
/// a cap on the total size (the header is buffered until its MAC can be checked). What follows the header
/// is returned as a stream that starts exactly at the payload.
/// </summary>
public static class AgeHeaderReader
{
    /// <summary>Largest header accepted; about 25,000 X25519 recipients.</summary>
    public const int MaxHeaderSize = 4 << 20;

    public sealed record Result(AgeHeader Header, byte[] MacInput, Stream Payload);

    public static Result Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reader = new LineReader(input);
        int lineNumber = 1;

        var first = reader.ReadLine() ?? throw new AgeHeaderException(
            reader.TotalRead == 0 ? "the file is empty" : "the header is truncated on its first line",
            "the input is not an age file; check that the whole file was copied");
        if (!first.AsSpan().SequenceEqual("age-encryption.org/v1"u8))
        {
            if (first.AsSpan().SequenceEqual("age-encryption.org/v1\r"u8))
                throw new AgeHeaderException("the header has Windows line endings (CRLF)",
                    "the file was converted to CRLF line endings, for example by PowerShell redirection or git autocrlf; use the original file");
            if (first.AsSpan().StartsWith("age-encryption.org/"u8))
                throw new AgeHeaderException($"unsupported age format version {Quote(first)}",
                    "the file was written by a newer age version; upgrade keyward");
            throw new AgeHeaderException("the input is not an age file (no age-encryption.org/v1 version line)",
                "check the file name; armored files start with -----BEGIN AGE ENCRYPTED FILE-----");
        }

        var stanzas = new List<AgeStanza>();
        while (true)
        {
            lineNumber++;
            var line = reader.ReadLine() ?? throw Truncated(lineNumber);
            if (line.AsSpan().StartsWith("-> "u8))
            {
                stanzas.Add(ReadStanza(reader, line, ref lineNumber));
                continue;
            }
            if (line.AsSpan().StartsWith("---"u8))
            {
                if (stanzas.Count == 0)
                    throw new AgeHeaderException($"header line {lineNumber}: the header has no recipient stanzas");
                var mac = ParseMacLine(line, lineNumber);
                int macInputLength = reader.LineStart + 3;
                var macInput = reader.Buffered(0, macInputLength);
                var header = new AgeHeader(stanzas, mac);
                return new Result(header, macInput, reader.Remaining());
            }
            throw new AgeHeaderException($"header line {lineNumber}: expected a stanza (\"-> \") or the MAC line (\"--- \"), found {Quote(line)}",
                CrHint(line));
        }
    }

    private static AgeStanza ReadStanza(LineReader reader, byte[] line, ref int lineNumber)
    {
        var argText = line.AsSpan(3);
        var args = new List<string>();
        int start = 0;
        for (int i = 0; i <= argText.Length; i++)
        {
            if (i == argText.Length || argText[i] == (byte)' ')
            {
                if (i == start)
                    throw new AgeHeaderException($"header line {lineNumber}: empty stanza argument (double, leading or trailing space)");
                args.Add(Encoding.ASCII.GetString(argText[start..i]));
                start = i + 1;
                continue;
            }
            if (argText[i] is < 0x21 or > 0x7e)
                throw new AgeHeaderException($"header line {lineNumber}: invalid character 0x{argText[i]:x2} in a stanza argument", CrHint(line));
        }

        var body = new List<byte>();
        while (true)
        {
            lineNumber++;
            var bodyLine = reader.ReadLine() ?? throw Truncated(lineNumber);
            if (bodyLine.Length > 64)
                throw new AgeHeaderException($"header line {lineNumber}: stanza body line is longer than 64 columns");
            if (bodyLine.AsSpan().StartsWith("-> "u8) || bodyLine.AsSpan().StartsWith("---"u8))
                throw new AgeHeaderException($"header line {lineNumber}: stanza body ends without its final short line",
                    "every stanza body must end with a line shorter than 64 columns, even an empty one");
            if (!AgeBase64.TryDecode(bodyLine, out var decoded))
                throw new AgeHeaderException($"header line {lineNumber}: stanza body is not canonical unpadded base64", CrHint(bodyLine));
            body.AddRange(decoded);
            if (bodyLine.Length < 64)
                break;
        }
        return new AgeStanza(args[0], args.GetRange(1, args.Count - 1), [.. body]);
    }

    private static byte[] ParseMacLine(byte[] line, int lineNumber)
    {
        var span = line.AsSpan();
        if (span.Length < 4 || span[3] != (byte)' ')
            throw new AgeHeaderException($"header line {lineNumber}: malformed MAC line (expected \"--- \" and the MAC)");
        var encoded = span[4..];
        if (encoded.Length != AgeBase64.EncodedLength(AgeHeader.MacSize) || !AgeBase64.TryDecode(encoded, out var mac) || mac.Length != AgeHeader.MacSize)
            throw new AgeHeaderException($"header line {lineNumber}: the header MAC is not 32 bytes of canonical base64", CrHint(line));
        return mac;
    }

    private static AgeHeaderException Truncated(int lineNumber) =>
        new($"the header is truncated at line {lineNumber}", "the file is incomplete; check that the whole file was copied");

    private static string? CrHint(byte[] line) =>
        line.Length > 0 && line[^1] == (byte)'\r'
            ? "the file has Windows line endings (CRLF); it was probably converted by an editor, PowerShell or git autocrlf"
            : null;

    internal static string Quote(ReadOnlySpan<byte> text)
    {
        var limited = text.Length > 40 ? text[..40] : text;
        var sb = new StringBuilder("\"");
        foreach (var b in limited)
            sb.Append(b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\' ? (char)b : $"\\x{b:x2}");
        if (text.Length > limited.Length)
            sb.Append("...");
        return sb.Append('"').ToString();
    }

    /// <summary>Reads LF-terminated lines from a stream and keeps every byte read, for the MAC and the payload.</summary>
    private sealed class LineReader(Stream input)
    {
        private byte[] _buffer = new byte[4096];
        private int _length;
        private int _position;
        private bool _eof;

        public int LineStart { get; private set; }

        public long TotalRead => _length;

        /// <summary>The next line without its LF, or null at end of input before an LF.</summary>
        public byte[]? ReadLine()
        {
            LineStart = _position;
            int searchFrom = _position;
            while (true)
            {
                int nl = Array.IndexOf(_buffer, (byte)'\n', searchFrom, _length - searchFrom);
                if (nl >= 0)
                {
                    var line = _buffer.AsSpan(_position, nl - _position).ToArray();
                    _position = nl + 1;
                    return line;
                }
                searchFrom = _length;
                if (_eof || !Fill())
                    return null;
            }
        }

        public byte[] Buffered(int start, int length) => _buffer.AsSpan(start, length).ToArray();

        public PrefixedStream Remaining() => new PrefixedStream(_buffer.AsSpan(_position, _length - _position).ToArray(), input);

        private bool Fill()
        {
            if (_length == _buffer.Length)
            {
                if (_buffer.Length >= MaxHeaderSize)
                    throw new AgeHeaderException($"the header is larger than {MaxHeaderSize >> 20} MiB", "the input is not an age file, or it is damaged");
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            int n = input.Read(_buffer, _length, _buffer.Length - _length);
            if (n == 0)
            {
                _eof = true;
                return false;
            }
            _length += n;
            return true;
        }
    }
}
