using Keyward.Core;

namespace Keyward.Cli.Commands.Age;

/// <summary>Input and output for the age commands: stdin/stdout by default, -o written atomically.</summary>
internal static class AgeIo
{
    /// <summary>System.CommandLine binds an unknown flag to the optional INPUT argument; age calls it a usage error.</summary>
    public static void RejectFlagAsInput(string? path)
    {
        if (path is not null && path.Length > 1 && path.StartsWith('-'))
            throw new KeywardException($"unknown flag \"{path}\"", "run with --help for the list of flags; to read a file whose name starts with \"-\", write ./" + path, FailureKind.Usage);
    }

    public static Stream OpenInput(CliConsole console, string? path)
    {
        if (path is null or "-")
            return console.Stdin;
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"input file \"{path}\" does not exist", "check the path", FailureKind.Usage, e);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> against stdout or an atomic file; a failed run leaves no file behind. A
    /// <paramref name="plaintext"/> file is 0600 whatever the umask or the mode of the file it replaces.
    /// </summary>
    public static void WriteOutput(CliConsole console, string? outputPath, string? inputPath, Action<Stream> write, bool plaintext)
    {
        if (outputPath is null or "-")
        {
            write(console.Stdout);
            console.Stdout.Flush();
            return;
        }
        // Compared once links are followed: -o LINK-TO-INPUT would replace the file being read.
        if (inputPath is not null && inputPath != "-" && AtomicFile.SameFile(inputPath, outputPath))
            throw new KeywardException("the output file is the input file", "write to another file, then rename it", FailureKind.Usage);
        AtomicFile.Write(outputPath, write, plaintext ? AtomicWriteOptions.Private : null);
    }
}
