using System.Diagnostics;

namespace Keyward.Cli.Tests.Support;

/// <summary>
/// Starts the keyward built next to the tests as a separate process, for what in-process runs cannot do
/// (being killed, another working directory). The CLI project is referenced, so its apphost and dll are copied here.
/// </summary>
public static class KeywardProcess
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var appHost = Path.Combine(AppContext.BaseDirectory, "keyward");
        var dll = Path.Combine(AppContext.BaseDirectory, "keyward.dll");
        ProcessStartInfo psi;
        if (File.Exists(appHost))
        {
            psi = new ProcessStartInfo(appHost);
        }
        else
        {
            Assert.True(File.Exists(dll), $"keyward is not built next to the tests ({dll})");
            psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            psi.ArgumentList.Add(dll);
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        return psi;
    }
}
