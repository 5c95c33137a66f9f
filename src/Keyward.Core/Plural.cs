namespace Keyward.Core;

/// <summary>A count with its noun in the right number ("1 key", "2 keys"), instead of "key(s)" in what users read.</summary>
public static class Plural
{
    /// <summary><paramref name="plural"/> defaults to the singular with an "s"; give it for other forms.</summary>
    public static string Count(int count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";
}
