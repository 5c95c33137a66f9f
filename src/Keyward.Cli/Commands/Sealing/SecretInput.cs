using Keyward.Core;
using Keyward.Manifests;
using Keyward.Sealing;

namespace Keyward.Cli.Commands.Sealing;

/// <summary>Reads one Secret to seal from a manifest document.</summary>
internal static class SecretInput
{
    public static SecretManifest Read(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Root.Child("sops") is not null)
            throw new KeywardException($"\"{document.File}\" line {document.Start.Line} column {document.Start.Column}: a SOPS-encrypted document in a file whose first document is not",
                "SOPS keeps one metadata block per file; seal each SOPS file on its own", FailureKind.Usage);
        return SecretManifest.FromDocument(document);
    }
}
