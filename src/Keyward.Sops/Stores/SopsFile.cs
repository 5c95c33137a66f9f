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

    /// <summary>
    /// Leaves out the YAML documents that hold no value (a trailing <c>---</c>, as kubeseal writes): encrypted as sops
    /// does, each would be a document of metadata alone, without kind, which kustomize and so Flux refuse. Their
    /// comments move to the document before (or after). No value changes, so neither does the MAC.
    /// </summary>
    public void DropEmptyDocuments()
    {
        if (Store != StoreKind.Yaml)
            return;
        for (int i = Documents.Count - 1; i >= 0 && Documents.Count > 1; i--)
        {
            var comments = Documents[i].Root.Items;
            if (comments.OfType<SopsEntry>().Any())
                continue;
            Documents.RemoveAt(i);
            if (i > 0)
                Documents[i - 1].Root.Items.AddRange(comments);
            else
                Documents[0].Root.Items.InsertRange(0, comments);
        }
    }

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

    /// <summary>
    /// Reads a text that must not carry metadata (what the user wrote in <c>edit</c>): a top-level <c>sops</c> key is
    /// refused as the reserved key it is, whether or not it looks like metadata.
    /// </summary>
    public static SopsFile ReadPlaintext(StoreKind kind, byte[] content, string source)
    {
        var file = kind switch
        {
            StoreKind.Yaml => YamlTreeReader.Read(new System.Text.UTF8Encoding(false).GetString(content), source),
            StoreKind.Json => JsonStore.ReadTree(content, source),
            _ => For(kind).Read(content, source, encrypted: false),
        };
        if (file.Documents.Any(d => d.Root.Find("sops") is not null) || file.Metadata is not null)
            throw new KeywardException($"\"{source}\": the top-level key \"sops\" is reserved for the file's sops metadata, which keyward keeps itself",
                "remove or rename that key; to change recipients use keyward rotate or updatekeys", FailureKind.Usage);
        return file;
    }

    /// <summary>A list on its own, as sops's <c>--extract</c> prints one; YAML and JSON only, as in sops.</summary>
    public static byte[] WriteList(StoreKind kind, SopsSequence list, TreeLayout layout, string source)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(layout);
        switch (kind)
        {
            case StoreKind.Yaml:
                return System.Text.Encoding.UTF8.GetBytes(YamlTreeWriter.WriteList(list, layout));
            case StoreKind.Json:
                var sb = new System.Text.StringBuilder();
                JsonStore.WriteNode(sb, list, layout.Indent == 0 ? "\t" : new string(' ', layout.Indent), 0);
                sb.Append('\n');
                return System.Text.Encoding.UTF8.GetBytes(sb.ToString());
            default:
                throw new KeywardException($"\"{source}\": a list cannot be written as {kind.ToString().ToLowerInvariant()}",
                    "pass --output-type yaml or json, or extract the items one by one", FailureKind.Usage);
        }
    }

    /// <summary>Splits the metadata out of a tree store's first document (and drops the copies in later ones).</summary>
    internal static void ExtractMetadata(SopsFile file)
    {
        for (int i = 0; i < file.Documents.Count; i++)
        {
            var entry = file.Documents[i].Root.Find("sops");
            if (entry is null)
                continue;
            file.Documents[i].Root.Items.Remove(entry);
            if (file.Metadata is null && i == 0)
            {
                // Not dropped silently when it is no mapping: the key is reserved, and a value there is a mistake.
                file.Metadata = entry.Value is SopsMapping meta ? MetadataCodec.Read(meta, file.Source)
                    : throw new KeywardException($"{file.Source}: invalid sops metadata: the top-level \"sops\" key is not a mapping",
                        "the key sops is reserved for sops metadata", FailureKind.Usage);
            }
        }
    }
}
