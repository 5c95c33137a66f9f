using Keyward.Core;
using Keyward.Manifests;
using Keyward.Sealing;

namespace Keyward.Cli.Commands.Sealing;

/// <summary>Reads one Secret to seal from a manifest document.</summary>
internal static class SecretInput
{
    public static SecretManifest Read(CliConsole console, ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(document);
        if (document.Root.Child("sops") is not null)
            throw new KeywardException($"\"{document.File}\" line {document.Start.Line} column {document.Start.Column}: this Secret is SOPS-encrypted, and keyward seal cannot decrypt SOPS files yet",
                "decrypt it in a pipe (sops -d FILE | keyward seal --cert CERT.pem) so no plaintext reaches the disk", FailureKind.Usage);
        return SecretManifest.FromDocument(document);
    }
}
