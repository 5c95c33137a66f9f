using System.Diagnostics;
using System.Globalization;
using System.Text;
using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// Reads whole files as they were in commits (or in the index) with one <c>git cat-file --batch</c>: a history scan
/// sees only the lines a commit added, and a manifest edited into a leak (a SOPS file decrypted in place) can only be
/// judged whole.
/// </summary>
internal static class GitBlobs
{
    /// <summary>
    /// The contents of each <c>REV:PATH</c> (<c>:PATH</c> for the index), in order; null for one that is missing, not
    /// a file, larger than <paramref name="maxBytes"/> or not text.
    /// </summary>
    public static List<string?> Read(string repository, IReadOnlyList<string> objects, long maxBytes)
    {
        var results = new List<string?>(objects.Count);
        if (objects.Count == 0)
            return results;
        var psi = new ProcessStartInfo("git") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-C", repository, "cat-file", "--batch"])
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new KeywardException("cannot start git", "install git", FailureKind.Usage);
        var stderr = process.StandardError.ReadToEndAsync();
        // Requests go in from another task: git answers as it reads, and a full pipe on either side would stall both.
        var requests = Task.Run(() =>
        {
            using var input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)) { NewLine = "\n" };
            foreach (var name in objects)
                input.WriteLine(name);
        });
        var output = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16);
        // One string per blob: a file's version after one commit is its version before the next that edits it.
        var seen = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < objects.Count; i++)
            results.Add(ReadOne(output, maxBytes, seen));
        requests.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new KeywardException($"git cat-file failed: {stderr.Result.Trim().Split('\n')[0]}", "run inside a Git repository", FailureKind.Usage);
        return results;
    }

    /// <summary>One answer: <c>OID TYPE SIZE\n</c>, SIZE bytes and <c>\n</c>; or <c>NAME missing\n</c> (and the like).</summary>
    private static string? ReadOne(Stream output, long maxBytes, Dictionary<string, string?> seen)
    {
        var header = ReadLine(output) ?? throw new KeywardException("git cat-file stopped early", "run the scan again", FailureKind.Failed);
        var parts = header.Split(' ');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            return null; // "missing", "ambiguous": nothing follows the header
        bool known = seen.TryGetValue(parts[0], out var text);
        var bytes = !known && size <= maxBytes && parts[1] == "blob" ? new byte[size] : null;
        long left = size;
        var skip = bytes is null ? new byte[8192] : null;
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
        if (known)
            return text;
        text = bytes is null || TextFile.LooksBinary(bytes) ? null : TextFile.Decode(bytes);
        seen[parts[0]] = text;
        return text;
    }

    private static string? ReadLine(Stream output)
    {
        var line = new List<byte>(64);
        int b;
        while ((b = output.ReadByte()) >= 0 && b != '\n')
            line.Add((byte)b);
        return b < 0 && line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
    }
}
