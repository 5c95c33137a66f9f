using System.Diagnostics;

namespace Keyward.Testing;

/// <summary>
/// A fact that needs a reference tool (age, ssh-keygen). Outside CI a missing tool is a skip with the reason;
/// with CI=true the test runs and fails, so interop can never pass silently.
/// </summary>
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(params string[] tools) => Skip = ExternalTool.SkipReason(tools);
}

public static class ExternalTool
{
    /// <summary>Why a test that needs <paramref name="tools"/> is skipped here; null when it runs (always with CI=true).</summary>
    public static string? SkipReason(IEnumerable<string> tools)
    {
        var missing = tools.Where(t => !Exists(t)).ToList();
        return missing.Count > 0 && !InCi
            ? $"reference tool not installed: {string.Join(", ", missing)} (install it to run this test; with CI=true it fails instead)"
            : null;
    }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(System.IO.Path.Combine(d, tool)));

    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    /// <summary>Runs a tool with stdin from a byte array or file; fails the test if the tool is missing.</summary>
    public static Result Run(string tool, IEnumerable<string> args, byte[]? stdin = null, string? stdinFile = null, int timeoutSeconds = 300)
    {
        if (!Exists(tool))
            Assert.Fail($"reference tool {tool} is not installed; .ci/run installs it (apt-get install -y age openssh-client)");
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdoutTask = Task.Run(() =>
        {
            using var ms = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(ms);
            return ms.ToArray();
        });
        var stderrTask = p.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
        {
            using var f = File.OpenRead(stdinFile);
            f.CopyTo(p.StandardInput.BaseStream);
        }
        else if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
        }
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish in {timeoutSeconds} s");
        }
        return new Result(p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }
}
