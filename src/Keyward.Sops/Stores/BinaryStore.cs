using System.Text;
using Keyward.Core;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Stores;

/// <summary>Binary: the whole file is one string leaf <c>data</c> (AAD <c>data:</c>) in a JSON envelope when encrypted.</summary>
public sealed class BinaryStore : ISopsStore
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public StoreKind Kind => StoreKind.Binary;

    public SopsFile Read(byte[] content, string source, bool encrypted)
    {
        if (encrypted)
        {
            var file = new JsonStore().Read(content, source, encrypted: true);
            file.Store = StoreKind.Binary;
            if (file.Documents[0].Root["data"] is not SopsScalar { Kind: ScalarKind.Str })
                throw new KeywardException($"\"{source}\": an encrypted binary file needs a string \"data\" field", "is this file encrypted with sops?", FailureKind.Usage);
            return file;
        }
        var plain = new SopsFile(StoreKind.Binary, source);
        var root = new SopsMapping();
        root.Items.Add(new SopsEntry("data", FromBytes(content)));
        plain.Documents.Add(new SopsDocument(root));
        plain.Layout = new TreeLayout { Indent = 0 };
        return plain;
    }

    private static SopsScalar FromBytes(byte[] content)
    {
        try
        {
            return SopsScalar.Str(StrictUtf8.GetString(content));
        }
        catch (DecoderFallbackException)
        {
            return new SopsScalar(ScalarKind.Str, Encoding.UTF8.GetString(content)) { RawBytes = content };
        }
    }

    public byte[] Write(SopsFile file)
    {
        if (file.Metadata is not null)
            return new JsonStore().Write(file);
        var root = file.Documents.Count == 1 ? file.Documents[0].Root : null;
        if (root?["data"] is SopsScalar data && root.Entries.Count() == 1)
            return data.PlaintextBytes();
        throw new KeywardException($"\"{file.Source}\": only a document with a single \"data\" value can be written as binary", "choose another --output-type", FailureKind.Usage);
    }
}
