using System.Buffers;
using System.Buffers.Text;

namespace Keyward.Age.Armor;

/// <summary>
/// Decodes the strict armor lazily, line by line, so a large armored file streams. Whitespace is allowed only
/// before the BEGIN line and after the END line (1 KiB each); LF or CRLF endings; the final EOL is optional.
/// Every deviation is an <see cref="AgeArmorException"/> naming the line.
/// </summary>
public sealed class ArmorDecodingStream : Stream
{
    private const int MaxWhitespace = 1024;
    private const int Columns = 64;

    private readonly Stream _input;
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private int _readPosition;
    private int _readLength;
    private bool _inputEnded;

    private readonly byte[] _decoded = new byte[48];
    private int _decodedPosition;
    private int _decodedLength;
    private bool _started;
    private bool _finished;
    private int _lineNumber;
    private bool _trailingChecked;
    private int _leadingWhitespace;

    public ArmorDecodingStream(Stream input) => _input = input;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            if (_decodedPosition < _decodedLength)
            {
                int n = Math.Min(buffer.Length - total, _decodedLength - _decodedPosition);
                _decoded.AsSpan(_decodedPosition, n).CopyTo(buffer[total..]);
                _decodedPosition += n;
                total += n;
                continue;
            }
            if (_finished)
            {
                if (!_trailingChecked)
                {
                    DrainTrailing();
                    _trailingChecked = true;
                }
                break;
            }
            DecodeNextLine();
        }
        return total;
    }

    private void DecodeNextLine()
    {
        while (!_started)
        {
            if (!TryReadLine(out var first))
                throw Fail("the armored file has no BEGIN line");
            if (IsAllWhitespace(first))
            {
                _leadingWhitespace += first.Length + 1;
                if (_leadingWhitespace > MaxWhitespace)
                    throw Fail("too much leading whitespace");
                continue;
            }
            if (!first.SequenceEqual("-----BEGIN AGE ENCRYPTED FILE-----"u8))
                throw Fail($"line {_lineNumber}: expected -----BEGIN AGE ENCRYPTED FILE-----");
            _started = true;
        }

        if (!TryReadLine(out var line))
            throw Fail($"line {_lineNumber}: the armor ends without an END line", "the file is truncated");
        if (line.SequenceEqual("-----END AGE ENCRYPTED FILE-----"u8))
        {
            _finished = true;
            return;
        }
        if (line.Length > Columns)
            throw Fail($"line {_lineNumber}: longer than 64 columns");
        if (line.Length == 0 || line.Length % 4 != 0 || Base64.DecodeFromUtf8(line, _decoded, out int consumed, out int written) != OperationStatus.Done
            || consumed != line.Length || !IsCanonical(line, written))
        {
            throw Fail($"line {_lineNumber}: invalid base64 (armor needs padded, canonical base64 with no spaces)");
        }
        _decodedPosition = 0;
        _decodedLength = written;
        if (line.Length < Columns)
        {
            if (!TryReadLine(out var footer))
                throw Fail($"line {_lineNumber}: the armor ends without an END line", "the file is truncated");
            if (!footer.SequenceEqual("-----END AGE ENCRYPTED FILE-----"u8))
                throw Fail($"line {_lineNumber}: expected -----END AGE ENCRYPTED FILE----- after a short line");
            _finished = true;
        }
    }

    private bool IsCanonical(ReadOnlySpan<byte> line, int written)
    {
        Span<byte> check = stackalloc byte[Columns];
        Base64.EncodeToUtf8(_decoded.AsSpan(0, written), check, out _, out int w);
        return check[..w].SequenceEqual(line);
    }

    private void DrainTrailing()
    {
        int seen = 0;
        while (true)
        {
            if (_readPosition == _readLength && !Fill())
                return;
            for (; _readPosition < _readLength; _readPosition++)
            {
                if (!IsWhitespace(_readBuffer[_readPosition]))
                    throw Fail("trailing data after the END line");
                if (++seen >= MaxWhitespace)
                    throw Fail("too much trailing whitespace");
            }
        }
    }

    /// <summary>The next line without LF or CRLF, or null at end of input. A last line without EOL is returned.</summary>
    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        _lineNumber++;
        while (true)
        {
            int nl = _readBuffer.AsSpan(_readPosition, _readLength - _readPosition).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                line = _readBuffer.AsSpan(_readPosition, nl);
                _readPosition += nl + 1;
                if (line.EndsWith((byte)'\r'))
                    line = line[..^1];
                return true;
            }
            if (_readLength - _readPosition > Columns + 2 && _started)
                throw Fail($"line {_lineNumber}: longer than 64 columns");
            if (_inputEnded || !Fill())
            {
                bool any = _readPosition < _readLength;
                line = _readBuffer.AsSpan(_readPosition, _readLength - _readPosition);
                _readPosition = _readLength;
                if (line.EndsWith((byte)'\r'))
                    line = line[..^1];
                return any;
            }
        }
    }

    private bool Fill()
    {
        if (_inputEnded)
            return false;
        if (_readPosition > 0)
        {
            _readBuffer.AsSpan(_readPosition, _readLength - _readPosition).CopyTo(_readBuffer);
            _readLength -= _readPosition;
            _readPosition = 0;
        }
        if (_readLength == _readBuffer.Length)
            throw Fail($"line {_lineNumber}: line too long");
        int n = _input.Read(_readBuffer, _readLength, _readBuffer.Length - _readLength);
        if (n == 0)
        {
            _inputEnded = true;
            return false;
        }
        _readLength += n;
        return true;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c;

    private static bool IsAllWhitespace(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (!IsWhitespace(b))
                return false;
        }
        return true;
    }

    private static AgeArmorException Fail(string message, string? hint = null) =>
        new("invalid armor: " + message, hint ?? "the armored text was changed; copy the whole block from BEGIN to END unchanged");

    /// <summary>
    /// Decides from the first bytes whether the input is armored: a binary file starts with the version line; text
    /// that starts with a PEM dash line, or carries the age BEGIN line near its start, is armor, so damaged armor
    /// gets an armor error rather than "not an age file".
    /// </summary>
    public static bool LooksArmored(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith("age-encryption.org/"u8))
            return false;
        int i = 0;
        while (i < prefix.Length && IsWhitespace(prefix[i]))
            i++;
        return prefix[i..].StartsWith("-----"u8) || prefix.IndexOf("-----BEGIN AGE ENCRYPTED FILE-----"u8) >= 0;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
