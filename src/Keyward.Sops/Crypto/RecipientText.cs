using Keyward.Age.Keys;
using Keyward.Core;

namespace Keyward.Sops.Crypto;

/// <summary>
/// A recipient as messages show it. Recipients come from flags and from .sops.yaml, where a secret key pasted by
/// mistake would otherwise be echoed into terminals and CI logs: such a value is masked, anything else shown as is
/// (a public key with a typo is worth seeing whole).
/// </summary>
public static class RecipientText
{
    public static string Show(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return AgeKeyFile.LooksSecret(recipient) ? SecretMask.Mask(recipient.Trim()) : recipient;
    }
}
