using System.Text;
using Keyward.Sops.Metadata;

namespace Keyward.Sops.Stores;

/// <summary>YAML: several documents, comments, key order and scalar styles kept; the <c>sops</c> block appended to each document.</summary>
public sealed class YamlStore : ISopsStore
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public StoreKind Kind => StoreKind.Yaml;

    public SopsFile Read(byte[] content, string source, bool encrypted)
    {
        var file = YamlTreeReader.Read(Utf8.GetString(content), source);
        Stores.ExtractMetadata(file);
        return file;
    }

    public byte[] Write(SopsFile file)
    {
        var metadata = file.Metadata is null ? null : MetadataCodec.Write(file.Metadata);
        return Utf8.GetBytes(YamlTreeWriter.Write(file.Documents, file.Layout, metadata));
    }
}
