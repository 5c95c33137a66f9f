using System.Globalization;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// What keyward says about a consumer key's validity. The validation page's default validity is one day; a key left
/// at it works until tomorrow, then every call is refused with INVALID_CREDENTIAL and Karpenter stops scaling. The
/// Karpenter guide asks for "Unlimited" (rotated every 90 days by hand), so a key with an expiry is worth a warning
/// wherever keyward sees one.
/// </summary>
internal static class KeyValidity
{
    /// <summary>The instruction shown with a validation URL.</summary>
    public const string ChooseUnlimited =
        "open this URL, log in, and set the validity to Unlimited (the page's default of 1 day makes the key stop working tomorrow; keyward ovh rotate renews it every 90 days):";

    /// <summary>Warns when <paramref name="expiration"/> is set and not yet past (a past one is an error where it matters).</summary>
    public static void WarnIfLimited(CliConsole console, DateTimeOffset? expiration, string? recorded = null)
    {
        if (expiration is not { } expires || expires <= console.Time.GetUtcNow())
            return;
        console.Stderr.WriteLine($"keyward: warning: the key expires on {Date(expires)}: after that every call with it is refused (INVALID_CREDENTIAL). "
            + "The Karpenter guide recommends an Unlimited validity for production, rotated every 90 days (keyward ovh rotate): "
            + "request a new key and choose Unlimited on the validation page" + (recorded is null ? "" : $"; {recorded}"));
    }

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
