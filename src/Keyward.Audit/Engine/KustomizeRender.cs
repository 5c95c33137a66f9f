using System.Diagnostics;
using System.Text;
using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// Runs <c>kubectl kustomize</c> on a folder. <see cref="RunWithOrigins"/> renders through a temporary overlay that
/// asks kustomize to record where each object came from (<c>buildMetadata: [originAnnotations]</c>), so findings can
/// point into the source files; the user's kustomization is never touched.
/// </summary>
internal static class KustomizeRender
{
    /// <summary>What kubectl printed, or why it failed (null when kubectl could not be started at all).</summary>
    public sealed record Outcome(string? Output, string? Error);

    /// <summary><c>kubectl kustomize FOLDER</c>.</summary>
    public static Outcome Run(string kubectl, string folder)
    {
        var psi = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("kustomize");
        psi.ArgumentList.Add(folder);
        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Outcome(null, null);
        }
        if (process is null)
            return new Outcome(null, null);
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                return new Outcome(null, Reason(stderr.Result));
            return new Outcome(output, null);
        }
    }

    /// <summary>Longest reason shown; kustomize nests its errors, so the end (the root cause) is kept too.</summary>
    private const int MaxReason = 360;

    private const string OneLineError = "\"command failed\" err=\"";

    /// <summary>
    /// The message in kubectl's error output, on one line: the text of a klog <c>"command failed" err=&lt;</c> block
    /// or one-line <c>err="..."</c> (kubectl 1.26 and later), else of an <c>error:</c> line, else the first line. The
    /// klog header (time, process id, source file) is dropped: it says nothing about the folder and changes from run
    /// to run.
    /// </summary>
    public static string Reason(string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var lines = stderr.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        string? reason = null;
        for (int i = 0; i < lines.Length && reason is null; i++)
        {
            if (lines[i].EndsWith("err=<", StringComparison.Ordinal))
            {
                var block = new List<string>();
                for (int j = i + 1; j < lines.Length && lines[j].Trim() != ">"; j++)
                    block.Add(lines[j].Trim());
                reason = string.Join(" ", block.Where(l => l.Length > 0));
            }
            else if (lines[i].IndexOf(OneLineError, StringComparison.Ordinal) is int at and >= 0 && lines[i].EndsWith('"'))
            {
                reason = lines[i][(at + OneLineError.Length)..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
            }
            else if (lines[i].StartsWith("error: ", StringComparison.Ordinal))
            {
                reason = lines[i]["error: ".Length..].Trim();
            }
        }
        reason ??= lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no message";
        if (reason.Length > MaxReason)
            reason = string.Concat(reason.AsSpan(0, MaxReason / 2), " ... ", reason.AsSpan(reason.Length - MaxReason / 2));
        return reason;
    }

    /// <summary>
    /// Renders <paramref name="folder"/> through a temporary overlay holding only a relative reference to it (kustomize
    /// rejects absolute ones) and <c>buildMetadata: [originAnnotations]</c>. The overlay is removed before this returns;
    /// origin paths in the output are relative to <paramref name="overlay"/>, which stays valid for path arithmetic.
    /// </summary>
    public static Outcome RunWithOrigins(string kubectl, string folder, string tempDirectory, out string overlay)
    {
        overlay = Path.Combine(Path.GetFullPath(tempDirectory), "keyward-kustomize-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Private: a shared temp folder must not let another user swap the kustomization kubectl reads.
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(overlay);
            else
                Directory.CreateDirectory(overlay, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Outcome(null, "cannot create a temporary folder");
        }
        try
        {
            var relative = Path.GetRelativePath(overlay, Path.GetFullPath(folder));
            if (Path.DirectorySeparatorChar == '\\')
                relative = relative.Replace('\\', '/');
            if (Path.IsPathRooted(relative))
                return new Outcome(null, "no relative path from the temporary folder");
            // Double-quoted so any folder name survives: backslashes (part of a Unix name) and quotes escaped.
            var quoted = "\"" + relative.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            var kustomization = $"resources:\n  - {quoted}\nbuildMetadata: [originAnnotations]\n";
            AtomicFile.WriteAllBytes(Path.Combine(overlay, "kustomization.yaml"), Encoding.UTF8.GetBytes(kustomization));
            return Run(kubectl, overlay);
        }
        finally
        {
            try
            {
                Directory.Delete(overlay, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover empty-ish temp folder is not worth failing the audit over.
            }
        }
    }
}
