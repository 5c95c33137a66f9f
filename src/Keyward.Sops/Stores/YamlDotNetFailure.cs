using YamlDotNet.Core;

namespace Keyward.Sops.Stores;

/// <summary>
/// YamlDotNet's scanner fails on a few malformed texts with an <c>InvalidOperationException</c> or
/// <c>ArgumentException</c> of its own and no position. The readers of SOPS files and of <c>.sops.yaml</c> report
/// those as YAML errors at the end of the last event YamlDotNet could read.
/// </summary>
internal static class YamlDotNetFailure
{
    /// <summary>Whether <paramref name="e"/> is such a failure (thrown by YamlDotNet, not by Keyward's own code).</summary>
    public static bool IsPositionless(Exception e) =>
        e is InvalidOperationException or ArgumentException && e.TargetSite?.DeclaringType?.Assembly == typeof(YamlException).Assembly;

    /// <summary>Where the last event YamlDotNet can read in <paramref name="text"/> ends.</summary>
    public static Mark LastParsed(string text)
    {
        var parser = new Parser(new Scanner(new StringReader(text), skipComments: false));
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
                last = parser.Current!.End;
        }
#pragma warning disable CA1031 // Only the position is wanted: the caller reports the error.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return last;
    }
}
