using System.Security.Cryptography;
using Keyward.Age.Armor;
using Keyward.Age.Format;
using Keyward.Age.Recipients;
using Keyward.Age.Streaming;

namespace Keyward.Age;

/// <summary>Options for encryption. Randomness is injectable for deterministic tests.</summary>
public sealed record AgeEncryptOptions
{
    public bool Armor { get; init; }

    public RandomSource? Random { get; init; }
}

/// <summary>Encrypts to age recipients: byte[] and Stream overloads over one streaming core.</summary>
public static class AgeEncryptor
{
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<IAgeRecipient> recipients, AgeEncryptOptions? options = null)
    {
        // The copy the stream reads from holds the plaintext (a SOPS data key, once per recipient): zeroed after use.
        var copy = plaintext.ToArray();
        try
        {
            using var input = new MemoryStream(copy, writable: false);
            using var output = new MemoryStream();
            Encrypt(input, output, recipients, options);
            return output.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    public static void Encrypt(Stream plaintext, Stream output, IReadOnlyList<IAgeRecipient> recipients,
        AgeEncryptOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(recipients);
        ValidateRecipients(recipients);
        options ??= new AgeEncryptOptions();
        var random = options.Random.OrDefault();

        var fileKey = new byte[WrapKey.FileKeySize];
        random(fileKey);
        try
        {
            var stanzas = new List<AgeStanza>();
            foreach (var recipient in recipients)
                stanzas.AddRange(recipient.Wrap(fileKey, random));
            var header = AgeHeader.Create(stanzas, fileKey);

            var nonce = new byte[Payload.NonceSize];
            random(nonce);
            var payloadKey = Payload.DeriveKey(fileKey, nonce);
            try
            {
                var target = options.Armor ? new ArmorEncodingStream(output, leaveOpen: true) : output;
                target.Write(header.Serialize());
                target.Write(nonce);
                PayloadEncryptor.Encrypt(payloadKey, plaintext, target, cancellationToken);
                if (target is ArmorEncodingStream armor)
                    armor.Dispose();
                output.Flush();
            }
            finally
            {
                CryptographicOperations.ZeroMemory(payloadKey);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    private static void ValidateRecipients(IReadOnlyList<IAgeRecipient> recipients)
    {
        if (recipients.Count == 0)
            throw new AgeKeyException("no recipients", "give at least one recipient (-r, -R) or a passphrase (-p)");
        if (recipients.Count > 1 && recipients.Any(r => r.MustBeAlone))
            throw new AgeKeyException("a passphrase cannot be combined with other recipients", "encrypt with either a passphrase or public keys");
    }
}
