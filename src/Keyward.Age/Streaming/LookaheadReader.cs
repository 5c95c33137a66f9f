namespace Keyward.Age.Streaming;

/// <summary>
/// Fills batch buffers from a stream and says whether more data follows, by reading one byte past the batch and
/// carrying it into the next. STREAM needs this: a chunk is sealed as last, or opened as last, only at the end.
/// </summary>
internal sealed class LookaheadReader(Stream input, int capacity)
{
    private bool _hasCarry;
    private byte _carry;

    /// <summary>Fills up to <c>capacity</c> bytes of <paramref name="buffer"/> (which has room for one more).</summary>
    /// <returns>The number of data bytes; <paramref name="more"/> is true when the input goes on after them.</returns>
    public int Fill(byte[] buffer, out bool more)
    {
        int start = 0;
        if (_hasCarry)
        {
            buffer[0] = _carry;
            start = 1;
        }
        int want = capacity + 1 - start;
        int filled = start + input.ReadAtLeast(buffer.AsSpan(start, want), want, throwOnEndOfStream: false);
        more = filled > capacity;
        _hasCarry = more;
        if (more)
            _carry = buffer[capacity];
        return more ? capacity : filled;
    }
}
