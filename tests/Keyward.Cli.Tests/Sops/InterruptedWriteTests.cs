using System.Diagnostics;
using System.Text;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// In-place writes killed with SIGKILL at random moments, in a real keyward process: after every kill the file is
/// byte for byte the original or a complete new version that decrypts. A killed process cannot remove AtomicFile's
/// own temporary file (<c>.NAME.RANDOM.tmp</c> in the same folder, 0600); those are allowed (and removed between
/// rounds), any other new file is not.
/// </summary>
public sealed class InterruptedWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-sops-kill").FullName;
    private readonly X25519Identity _identity = X25519Identity.Generate();
    private readonly string _keyFile;

    public InterruptedWriteTests()
    {
        _keyFile = Path.Combine(_dir, "identity.agekey");
        File.WriteAllText(_keyFile, _identity.ExportSecretKey() + "\n");
    }

    public void Dispose()
    {
        _identity.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Stdout, string Stderr) RunToEnd(params string[] args)
    {
        var psi = KeywardProcess.StartInfo(args);
        psi.Environment["SOPS_AGE_KEY_FILE"] = _keyFile;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "keyward did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string BigYaml(int seed)
    {
        var sb = new StringBuilder();
        for (int g = 0; g < 40; g++)
        {
            sb.Append("group").Append(g).Append(":\n");
            for (int v = 0; v < 50; v++)
                sb.Append("  key").Append(v).Append(": value-").Append(seed).Append('-').Append(g).Append('-').Append(v).Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public void Killed_in_place_writes_leave_the_old_or_the_new_file_never_a_broken_one()
    {
        var random = new Random(4242);
        var path = Path.Combine(_dir, "secrets.yaml");
        var recipient = _identity.Recipient.ToString();
        int killed = 0, finished = 0;
        for (int round = 0; round < 40; round++)
        {
            string op = (round % 3) switch { 0 => "encrypt", 1 => "set", _ => "rotate" };
            var plain = BigYaml(round);
            File.WriteAllText(path, plain);
            if (op != "encrypt")
                Assert.Equal(0, RunToEnd("encrypt", "--age", recipient, "-i", path).Code);
            var original = File.ReadAllBytes(path);
            string[] args = op switch
            {
                "encrypt" => ["encrypt", "--age", recipient, "-i", path],
                "set" => ["set", path, "[\"group3\"][\"key7\"]", "\"changed\""],
                _ => ["rotate", "-i", path],
            };
            var psi = KeywardProcess.StartInfo(args);
            psi.Environment["SOPS_AGE_KEY_FILE"] = _keyFile;
            using (var p = Process.Start(psi)!)
            {
                p.StandardInput.Close();
                _ = p.StandardOutput.ReadToEndAsync();
                _ = p.StandardError.ReadToEndAsync();
                Thread.Sleep(random.Next(20, 400));
                if (p.HasExited)
                {
                    finished++;
                }
                else
                {
                    p.Kill(entireProcessTree: true); // SIGKILL on Unix
                    killed++;
                }
                Assert.True(p.WaitForExit(30_000));
            }

            var now = File.ReadAllBytes(path);
            if (!now.AsSpan().SequenceEqual(original))
            {
                var dec = RunToEnd("decrypt", path);
                Assert.True(dec.Code == 0, $"round {round} ({op}): the file changed but does not decrypt: {dec.Stderr}");
                var expected = op == "set" ? plain.Replace("  key7: value-" + round + "-3-7\n", "  key7: changed\n", StringComparison.Ordinal) : plain;
                Assert.Equal(expected, dec.Stdout);
            }
            foreach (var f in Directory.EnumerateFiles(_dir))
            {
                var name = Path.GetFileName(f);
                if (name is "secrets.yaml" or "identity.agekey")
                    continue;
                Assert.Matches(@"^\.secrets\.yaml\.[0-9a-f]+\.tmp$", name);
                File.Delete(f);
            }
        }
        Assert.True(killed > 5, $"only {killed} of 40 runs were killed before they finished; the delays are too long");
        Assert.True(finished + killed == 40);
    }
}
