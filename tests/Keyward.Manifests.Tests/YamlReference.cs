using Keyward.Manifests.Yaml;

namespace Keyward.Manifests.Tests;

/// <summary>YamlDotNet's reading of a text, the reference the fast reader is held to.</summary>
internal static class YamlReference
{
    /// <summary>The documents when YamlDotNet reads the whole text without error; null when it fails.</summary>
    public static List<YamlValue>? Read(string text)
    {
        try
        {
            var (documents, error) = YamlDotNetConverter.ReadStream(text);
            return error is null ? documents : null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way on a few broken streams instead of with a YamlException ("...\na: b" and a
            // flow line indented too little throw InvalidOperationException, some broken mappings ArgumentException);
            // ReadStream lets those through, but they are errors all the same.
            return null;
        }
    }
}
