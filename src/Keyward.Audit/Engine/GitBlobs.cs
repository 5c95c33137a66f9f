using System.Diagnostics;
using System.Globalization;
using System.Text;
using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// Reads files as they were in commits (or in the index) by blob id, through one <c>git cat-file --batch</c> that
/// lives as long as the audit: a history scan sees only the lines a commit added, and a manifest edited into a leak
/// (a SOPS file decrypted in place) can only be judged whole. Blobs are read when the audit reaches them and not
/// kept, so a long history needs no more memory than a short one.
/// </summary>
internal sealed class GitBlobs : IDisposable
{
    private readonly string _repository;
    private readonly long _maxBytes;
    private readonly Lock _lock = new(); // the parse-ahead thread and the rules ask in turn
    private Process? _process;
    private Stream? _output;
    private StreamWriter? _input;

    public GitBlobs(string repository, long maxBytes)
    {
        _repository = repository;
        _maxBytes = maxBytes;
    }

    /// <summary>The blob's text; null for one that is missing, not a blob, larger than the limit or not text.</summary>
    public string? Read(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        lock (_lock)
        {
            Start();
            _input!.Write(id);
            _input.Write('\n');
            _input.Flush();
            return ReadAnswer(_output!);
        }
    }

    private void Start()
    {
        if (_process is not null)
            return;
        _process = GitCommand.Start(["-C", _repository, "cat-file", "--batch"], input: true);
        _process.ErrorDataReceived += (_, _) => { }; // drained, so a chatty git never blocks
        _process.BeginErrorReadLine();
        _input = new StreamWriter(_process.StandardInput.BaseStream, new UTF8Encoding(false));
        _output = new BufferedStream(_process.StandardOutput.BaseStream, 1 << 16);
    }

    /// <summary>One answer: <c>ID TYPE SIZE\n</c>, SIZE bytes and <c>\n</c>; or <c>ID missing\n</c> (and the like).</summary>
    private string? ReadAnswer(Stream output)
    {
        var header = ReadLine(output) ?? throw new KeywardException("git cat-file stopped early", "run the scan again", FailureKind.Failed);
        var parts = header.Split(' ');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            return null; // "missing", "ambiguous": nothing follows the header
        var bytes = size <= _maxBytes && parts[1] == "blob" ? new byte[size] : null;
        var skip = bytes is null ? new byte[8192] : null;
        long left = size;
        while (left > 0)
        {
            int read = bytes is not null
                ? output.Read(bytes, (int)(size - left), (int)left)
                : output.Read(skip!, 0, (int)Math.Min(skip!.Length, left));
            if (read == 0)
                throw new KeywardException("git cat-file stopped early", "run the scan again", FailureKind.Failed);
            left -= read;
        }
        output.ReadByte(); // the newline after the contents
        return bytes is null || TextFile.LooksBinary(bytes) ? null : TextFile.Decode(bytes);
    }

    private static string? ReadLine(Stream output)
    {
        var line = new List<byte>(64);
        int b;
        while ((b = output.ReadByte()) >= 0 && b != '\n')
            line.Add((byte)b);
        return b < 0 && line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_process is null)
                return;
            _input?.Dispose(); // git exits at the end of its input
            if (!_process.WaitForExit(5000))
                _process.Kill();
            _process.Dispose();
            _process = null;
        }
    }
}
