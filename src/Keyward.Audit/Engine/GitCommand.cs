using System.Diagnostics;
using System.Globalization;
using System.Text;
using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// Runs the <c>git</c> command for the history and staged scans, with the options that make its output the same
/// whatever the user's settings: keyward parses that output, and a setting that reshapes it (no <c>a/</c> and
/// <c>b/</c> prefixes, colors, an external diff, context between hunks, a root commit shown without its diff) would
/// otherwise turn paths and lines wrong, or hide a leak.
/// </summary>
internal static class GitCommand
{
    /// <summary>
    /// Settings that have no command-line option of their own in every git keyward runs on (given with <c>-c</c>,
    /// before the subcommand; a setting a git does not know is ignored, so older ones are fine).
    /// </summary>
    private static readonly string[] Settings =
    [
        "-c", "diff.relative=false",          // --no-relative is git 2.28; a relative diff would drop what is outside the folder
        "-c", "log.showRoot=true",            // false hides the first commit's diff, and whatever it leaked
        "-c", "log.follow=false",             // one path given would become --follow, which changes what log lists
        "-c", "log.showSignature=false",      // gpg output among the commit lines
        "-c", "core.quotePath=true",          // paths quoted one way, which DiffPath undoes
        "-c", "i18n.logOutputEncoding=UTF-8", // author names are read as UTF-8
        "-c", "diff.suppressBlankEmpty=false", // an empty context line keeps its space, so it reads as one
    ];

    /// <summary>
    /// Options of <c>git diff</c> and <c>git log -p</c> that fix the shape of the patch: explicit prefixes (over
    /// diff.noprefix and diff.mnemonicPrefix), no external diff or textconv driver (a driver shows another text than
    /// the one committed), no color, no context lines (over diff.context and diff.interHunkContext), full blob ids,
    /// renames followed, submodules as one line.
    /// </summary>
    public static readonly string[] PatchOptions =
    [
        "-U0", "--inter-hunk-context=0", "--src-prefix=a/", "--dst-prefix=b/", "--no-ext-diff", "--no-textconv", "--no-color",
        "--full-index", "--find-renames", "--submodule=short",
    ];

    /// <summary>git in <paramref name="folder"/> with <see cref="Settings"/>, then <paramref name="args"/>.</summary>
    public static List<string> In(string folder, params IEnumerable<string> args) => ["-C", folder, .. Settings, .. args];

    /// <summary>Runs git to its end: the exit code, the output without its last newlines, and the error output.</summary>
    public static (int Code, string Output, string Error) Run(IEnumerable<string> args)
    {
        using var process = Start(args);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.TrimEnd('\n'), error.Result);
    }

    /// <summary>Starts git with its output (and, for a conversation such as cat-file --batch, its input) redirected.</summary>
    public static Process Start(IEnumerable<string> args, bool input = false)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardInput = input, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // git's own messages in English, as keyward's are, and as the checks on them expect.
        psi.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(psi) ?? throw new KeywardException("cannot start git", "install git", FailureKind.Usage);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KeywardException("git is not installed", "install git to scan history, or audit files instead", FailureKind.Usage, e);
        }
    }

    /// <summary>git's first error line, without "fatal: " and the final period, to quote in keyward's error.</summary>
    public static string FirstLine(string stderr) =>
        stderr.Trim().Split('\n')[0].Replace("fatal: ", "", StringComparison.Ordinal).TrimEnd('.');

    /// <summary>Whether the git on PATH is <paramref name="major"/>.<paramref name="minor"/> or later.</summary>
    public static bool IsAtLeast(int major, int minor)
    {
        var (code, output, _) = Run(["--version"]);
        var version = output.StartsWith("git version ", StringComparison.Ordinal) ? output["git version ".Length..].Split('.') : [];
        return code == 0 && version.Length >= 2 && int.TryParse(version[0], CultureInfo.InvariantCulture, out int have)
            && int.TryParse(version[1], CultureInfo.InvariantCulture, out int minorHave) && (have, minorHave).CompareTo((major, minor)) >= 0;
    }
}
