using Keyward.Manifests.Yaml;

namespace Keyward.Manifests.Tests;

/// <summary>YamlDotNet's reading of a text, the reference the fast reader is held to.</summary>
internal static class YamlReference
{
    /// <summary>The documents when YamlDotNet reads the whole text without error; null when it fails.</summary>
    public static List<YamlValue>? Read(string text)
    {
        var (documents, error) = YamlDotNetConverter.ReadStream(text);
        return error is null ? documents : null;
    }
}
