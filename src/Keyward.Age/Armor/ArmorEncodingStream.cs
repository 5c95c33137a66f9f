using System.Buffers.Text;

namespace Keyward.Age.Armor;

/// <summary>
/// Writes the strict PEM armor: padded base64 in 64-column lines, LF endings, a final LF. Streams: holds at most
/// one partial 48-byte group between writes. Dispose (or <see cref="Complete"/>) writes the last line and the footer.
/// </summary>
public sealed class ArmorEncodingStream : Stream
{
    public const string Header = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string Footer = "-----END AGE ENCRYPTED FILE-----";
    private const int BytesPerLine = 48;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly byte[] _pending = new byte[BytesPerLine * 256];
    private readonly byte[] _encoded = new byte[65 * 256];
    private int _pendingLength;
    private bool _completed;

    public ArmorEncodingStream(Stream output, bool leaveOpen = false)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _output.Write("-----BEGIN AGE ENCRYPTED FILE-----\n"u8);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_completed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _pending.Length - _pendingLength);
            buffer[..n].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += n;
            buffer = buffer[n..];
            if (_pendingLength == _pending.Length)
                FlushLines(final: false);
        }
    }

    /// <summary>Writes the remaining bytes, the last line and the footer.</summary>
    public void Complete()
    {
        if (_completed)
            return;
        FlushLines(final: true);
        _output.Write("-----END AGE ENCRYPTED FILE-----\n"u8);
        _completed = true;
    }

    private void FlushLines(bool final)
    {
        int fullLines = _pendingLength / BytesPerLine;
        int consumed = 0;
        int outLength = 0;
        for (int line = 0; line < fullLines; line++)
        {
            Base64.EncodeToUtf8(_pending.AsSpan(consumed, BytesPerLine), _encoded.AsSpan(outLength), out _, out int w);
            outLength += w;
            _encoded[outLength++] = (byte)'\n';
            consumed += BytesPerLine;
        }
        if (final && consumed < _pendingLength)
        {
            Base64.EncodeToUtf8(_pending.AsSpan(consumed, _pendingLength - consumed), _encoded.AsSpan(outLength), out _, out int w);
            outLength += w;
            _encoded[outLength++] = (byte)'\n';
            consumed = _pendingLength;
        }
        _output.Write(_encoded, 0, outLength);
        _pending.AsSpan(consumed, _pendingLength - consumed).CopyTo(_pending);
        _pendingLength -= consumed;
    }

    public override void Flush() => _output.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
            if (!_leaveOpen)
                _output.Dispose();
        }
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
