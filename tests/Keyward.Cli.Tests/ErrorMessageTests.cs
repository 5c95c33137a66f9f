using System.Diagnostics;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests;

/// <summary>
/// Error lines of the real executable, whose runtime settings in-process tests do not have: the framework's own
/// messages must read as sentences (a build setting once turned them into resource keys such as
/// "UnauthorizedAccess_IODenied_Path, /tmp/x" and "expectedStartOfPropertyNotFound, ,").
/// </summary>
public sealed class ErrorMessageTests
{
    [Fact]
    public void A_folder_given_as_the_file_to_decrypt_is_an_input_error_that_names_it()
    {
        using var dir = new TempDir();
        var (code, stderr) = Run("decrypt", dir.Path);
        Assert.Equal(2, code);
        Assert.StartsWith($"keyward: error: access to the path '{dir.Path}' is denied\n", stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: check the path's permissions", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_explained_in_words_at_its_position()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.json"), "{\"a\": 1,, \"sops\": {}}");
        var (code, stderr) = Run("decrypt", dir.File("bad.json"));
        Assert.Equal(2, code);
        // A reason in general terms only: the parser's own message quotes the input, which may be a secret.
        Assert.Contains("line 1 column 9: invalid JSON: expected a property name in double quotes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_regex_is_quoted_with_its_case_and_the_parser_s_reason()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("plain.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  password: hunter2\n");
        var (code, stderr) = Run("encrypt", "--encrypted-regex", "^(Data", "--age", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", dir.File("plain.yaml"));
        Assert.Equal(2, code);
        Assert.StartsWith("keyward: error: invalid encrypted_regex \"^(Data\": invalid pattern '^(Data' at offset 6", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"version\": 1", " line 1 column 14: not a keyward baseline: invalid JSON: an invalid number")]
    [InlineData("{\"version\": 1}", ": not a keyward baseline: it needs a \"findings\" list of objects with a \"fingerprint\" string")]
    public void A_file_that_is_no_baseline_says_where_and_why(string content, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("baseline.json"), content);
        File.WriteAllText(dir.File("a.txt"), "nothing here\n");
        var (code, stderr) = Run("audit", dir.File("a.txt"), "--baseline", dir.File("baseline.json"));
        Assert.Equal(2, code);
        Assert.StartsWith($"keyward: error: \"{dir.File("baseline.json")}\"{expected}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Stderr) Run(params string[] args)
    {
        var psi = KeywardProcess.StartInfo(args);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "keyward did not finish in 60 s");
        _ = stdout.Result;
        return (p.ExitCode, stderr);
    }
}
