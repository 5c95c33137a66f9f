using Keyward.Core;
using Keyward.Sops.Metadata;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Stores;

/// <summary>The file formats sops reads and writes.</summary>
public enum StoreKind
{
    Yaml,
    Json,
    Dotenv,
    Ini,
    Binary,
}

/// <summary>A file read into trees: its documents, layout, and its sops metadata when it is encrypted.</summary>
public sealed class SopsFile
{
    public SopsFile(StoreKind store, string source)
    {
        Store = store;
        Source = source;
    }

    public StoreKind Store { get; set; }

    /// <summary>The name used in messages (usually the path as the user gave it).</summary>
    public string Source { get; }

    public List<SopsDocument> Documents { get; } = [];

    public TreeLayout Layout { get; set; } = new();

    public SopsMetadata? Metadata { get; set; }

    public SopsFile CloneTrees()
    {
        var copy = new SopsFile(Store, Source) { Layout = Layout, Metadata = Metadata?.Clone() };
        copy.Documents.AddRange(Documents.Select(d => d.Clone()));
        return copy;
    }
}

/// <summary>Reads and writes one format. Readers keep order and comments; writers emit the metadata when present.</summary>
public interface ISopsStore
{
    StoreKind Kind { get; }

    /// <summary>Parses a file; <paramref name="encrypted"/> tells the binary store whether to expect the sops JSON envelope.</summary>
    SopsFile Read(byte[] content, string source, bool encrypted);

    byte[] Write(SopsFile file);
}

public static class Stores
{
    public static ISopsStore For(StoreKind kind) => kind switch
    {
        StoreKind.Yaml => new YamlStore(),
        StoreKind.Json => new JsonStore(),
        StoreKind.Dotenv => new DotenvStore(),
        StoreKind.Ini => new IniStore(),
        _ => new BinaryStore(),
    };

    /// <summary>By extension as sops does: .yaml/.yml, .json, .env, .ini, anything else binary.</summary>
    public static StoreKind ForPath(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".yaml" or ".yml" => StoreKind.Yaml,
            ".json" => StoreKind.Json,
            ".env" => StoreKind.Dotenv,
            ".ini" => StoreKind.Ini,
            _ => StoreKind.Binary,
        };
    }

    public static StoreKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "yaml" or "yml" => StoreKind.Yaml,
        "json" => StoreKind.Json,
        "dotenv" or "env" => StoreKind.Dotenv,
        "ini" => StoreKind.Ini,
        "binary" => StoreKind.Binary,
        _ => throw new KeywardException($"unknown file type \"{name}\"", "use yaml, json, dotenv, ini or binary", FailureKind.Usage),
    };

    /// <summary>Splits the metadata out of a tree store's first document (and drops the copies in later ones).</summary>
    internal static void ExtractMetadata(SopsFile file)
    {
        for (int i = 0; i < file.Documents.Count; i++)
        {
            var entry = file.Documents[i].Root.Find("sops");
            if (entry is null)
                continue;
            file.Documents[i].Root.Items.Remove(entry);
            if (file.Metadata is null && i == 0 && entry.Value is SopsMapping meta)
                file.Metadata = MetadataCodec.Read(meta, file.Source);
        }
    }
}
