namespace Keyward.Manifests.Yaml;

/// <summary>A YAML syntax error: where the reader stopped and why.</summary>
public sealed record YamlSyntaxError(SourcePosition Position, string Message);

/// <summary>
/// Reads a YAML (or JSON) stream into trees, one per document. The fast reader handles the block YAML manifests are
/// made of; anything else, and every error, goes to YamlDotNet, so the trees and errors are YamlDotNet's either way.
/// </summary>
public static class YamlDocuments
{
    /// <summary>The documents read; on a syntax error, the documents before it and the error.</summary>
    public static (IReadOnlyList<YamlValue> Documents, YamlSyntaxError? Error) Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (FastManifestReader.TryRead(text) is { } fast)
            return (fast, null);
        return YamlDotNetConverter.ReadStream(text);
    }
}
