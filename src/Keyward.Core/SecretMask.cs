namespace Keyward.Core;

/// <summary>Renders a secret for display without revealing it: a short prefix for recognition, the rest hidden.</summary>
public static class SecretMask
{
    public static string Mask(string? value, int visiblePrefix = 4)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value.Length <= visiblePrefix * 3)
            return new string('*', Math.Min(value.Length, 8));
        return value[..visiblePrefix] + "****" + $"({value.Length} chars)";
    }
}
