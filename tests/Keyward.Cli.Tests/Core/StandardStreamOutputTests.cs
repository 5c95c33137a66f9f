using System.Diagnostics;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Core;

/// <summary>-o /dev/stdout writes to whatever standard output is, a file opened for appending included, never replacing it.</summary>
public class StandardStreamOutputTests
{
    [Theory]
    [InlineData("/dev/stdout")]
    [InlineData("/dev/fd/1")]
    public void Output_to_standard_output_appends_to_the_file_it_was_redirected_to(string path)
    {
        using var dir = new TempDir();
        var log = dir.File("log.txt");
        File.WriteAllText(log, "before\n");
        var keyward = KeywardProcess.StartInfo("age", "keygen", "-o", path);
        var sh = new ProcessStartInfo("sh") { RedirectStandardError = true };
        sh.ArgumentList.Add("-c");
        sh.ArgumentList.Add("\"$0\" \"$@\" >> \"$LOG\" && echo after >> \"$LOG\"");
        sh.ArgumentList.Add(keyward.FileName);
        foreach (var argument in keyward.ArgumentList)
            sh.ArgumentList.Add(argument);
        sh.Environment["LOG"] = log;
        using var process = Process.Start(sh)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        var lines = File.ReadAllLines(log);
        Assert.Equal("before", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal));
        Assert.Equal("after", lines[^1]);
    }
}
