using System.Diagnostics;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// edit and exec-file stopped by SIGHUP or SIGTERM while the editor or the command runs: the private temporary folder
/// with the plaintext is removed before keyward exits. Also --output /dev/stdout into a pipe. A real keyward process.
/// </summary>
public sealed class SopsSignalTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly X25519Identity _id = X25519Identity.Generate();

    public void Dispose()
    {
        _id.Dispose();
        _dir.Dispose();
    }

    private string Encrypted(string name, string plain)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, plain);
        var r = CliRunner.Run(["encrypt", "--age", _id.Recipient.ToString(), "-i", path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return path;
    }

    private Process Start(Dictionary<string, string> env, params string[] args)
    {
        var psi = KeywardProcess.StartInfo(args);
        psi.Environment["SOPS_AGE_KEY"] = _id.ExportSecretKey();
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.StandardInput.Close();
        return p;
    }

    /// <summary>A command that records the plaintext path and its own pid, then waits to be stopped.</summary>
    private static string Waiter(string record, string pid) => $"printf '%s' \"$1\" > {record}.part && mv {record}.part {record}; echo $$ > {pid}; exec sleep 60 </dev/null >/dev/null 2>&1";

    private static void StopChild(string pidFile)
    {
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }
    }

    [Theory]
    [InlineData("edit", "HUP", 129)]
    [InlineData("edit", "TERM", 143)]
    [InlineData("exec-file", "TERM", 143)]
    [InlineData("exec-file", "HUP", 129)]
    public async Task A_signal_removes_the_private_plaintext_folder(string command, string signal, int expectedCode)
    {
        var file = Encrypted("s.yaml", "password: s3cr3t\n");
        var record = _dir.File("record");
        var pid = _dir.File("pid");
        var script = _dir.File("wait.sh");
        File.WriteAllText(script, "#!/bin/sh\n" + Waiter(record, pid) + "\n");
        using var p = command == "edit"
            ? Start(new() { ["EDITOR"] = "sh " + script }, "edit", file)
            : Start([], "exec-file", file, $"sh {script} {{}}");
        try
        {
            _ = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Signals.WaitFor(() => File.Exists(record) && File.Exists(pid), "the command to start");
            var plaintext = File.ReadAllText(record);
            Assert.True(File.Exists(plaintext));

            Signals.Send(p, signal);
            Assert.True(p.WaitForExit(30_000), "keyward did not stop");
            // The shell between keyward and the waiting command holds keyward's stderr until the command ends.
            StopChild(pid);
            Assert.True(expectedCode == p.ExitCode, await stderr);
            Assert.False(File.Exists(plaintext), $"{plaintext} was left behind");
            Assert.False(Directory.Exists(Path.GetDirectoryName(plaintext)));
        }
        finally
        {
            StopChild(pid);
        }
    }

    [Fact]
    public async Task Decrypt_output_dev_stdout_writes_into_a_pipe()
    {
        var file = Encrypted("p.yaml", "password: s3cr3t\n");
        using var p = Start([], "decrypt", "--output", "/dev/stdout", file);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Assert.True(p.ExitCode == 0, stderr);
        Assert.Equal("password: s3cr3t\n", await stdout);
    }
}
