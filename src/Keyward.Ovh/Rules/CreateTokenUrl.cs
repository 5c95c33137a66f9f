using System.Text;
using Keyward.Ovh.Api;

namespace Keyward.Ovh.Rules;

/// <summary>
/// The pre-filled token creation URL: <c>https://host/createToken/?GET=/path&amp;POST=/path</c>, one parameter per rule
/// in order. Paths are written as the guide writes them (<c>/</c>, <c>*</c> and <c>{placeholders}</c> unescaped);
/// any other character outside the URL-safe set is percent-encoded.
/// </summary>
public static class CreateTokenUrl
{
    public static string Build(OvhEndpoint endpoint, IEnumerable<AccessRule> rules)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(rules);
        var url = new StringBuilder(endpoint.CreateTokenPage.ToString());
        char separator = '?';
        foreach (var rule in rules)
        {
            url.Append(separator).Append(rule.Method).Append('=');
            foreach (var c in rule.Path)
            {
                if (char.IsAsciiLetterOrDigit(c) || "/*{}-._~:@!$'(),;".Contains(c, StringComparison.Ordinal))
                    url.Append(c);
                else
                    url.Append(Uri.EscapeDataString(c.ToString()));
            }
            separator = '&';
        }
        return url.ToString();
    }
}
