using System.Text.RegularExpressions;
using Keyward.Ovh.Api;
using Keyward.Testing;

namespace Keyward.Ovh.Tests;

/// <summary>
/// The signature vectors of research/apis.md §1.2.1, read from the document itself: set A (go-ovh and python-ovh,
/// signing the full URL) and set B (ovh/csharp-ovh, whose tests sign the path only).
/// </summary>
public sealed partial class SignatureVectorTests
{
    private static readonly Lazy<string> Apis = new(() => File.ReadAllText(SharedMaterial.Path("research", "apis.md")));

    public static TheoryData<string, string, string> FullUrlVectors()
    {
        var section = Section("**Set A", "**Set B");
        var data = new TheoryData<string, string, string>();
        foreach (Match row in SetARow().Matches(section))
            data.Add(row.Groups[1].Value, row.Groups[2].Value, row.Groups[3].Value);
        return data;
    }

    public static TheoryData<string, string, string, string> PathOnlyVectors()
    {
        var section = Section("**Set B", "### 1.3");
        var data = new TheoryData<string, string, string, string>();
        foreach (Match row in SetBRow().Matches(section))
            data.Add(row.Groups[1].Value, row.Groups[2].Value, row.Groups[3].Value == "–" ? "" : row.Groups[3].Value.Trim('`'), row.Groups[4].Value);
        return data;
    }

    [Fact]
    public void Both_sets_are_found_in_the_document()
    {
        Assert.Equal(8, FullUrlVectors().Count);
        Assert.Equal(13, PathOnlyVectors().Count);
    }

    [Theory]
    [MemberData(nameof(FullUrlVectors))]
    public void Set_A_full_url_form_go_ovh_and_python_ovh(string method, string path, string expected)
    {
        var section = Section("**Set A", "**Set B");
        var secret = Constant(section, "AS");
        var consumer = Constant(section, "CK");
        long timestamp = long.Parse(TimestampA().Match(section).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var body = method is "POST" or "PUT" ? "{\"a\":\"b\",\"c\":\"d\"}" : "";
        // The production path: the endpoint turns the API path into the full URL that is signed.
        var url = OvhEndpoint.Parse("ovh-eu").UrlOf(path["/1.0".Length..]);
        Assert.Equal("https://eu.api.ovh.com" + path, url);
        Assert.Equal(expected, OvhSignature.Compute(secret, consumer, method, url, body, timestamp));
    }

    [Theory]
    [MemberData(nameof(PathOnlyVectors))]
    public void Set_B_path_only_form_of_the_csharp_wrapper(string method, string target, string data, string expected)
    {
        Assert.Equal(expected, OvhSignature.Compute("APPLICATION_SECRET", "CONSUMER_KEY", method, target, data, 1566485767));
    }

    private static string Section(string start, string end)
    {
        var text = Apis.Value;
        int from = text.IndexOf(start, StringComparison.Ordinal);
        int to = text.IndexOf(end, from + 1, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"apis.md has no section between {start} and {end}");
        return text[from..to];
    }

    private static string Constant(string section, string name) => Regex.Match(section, "^" + name + @" = ""([^""]+)""", RegexOptions.Multiline).Groups[1].Value;

    [GeneratedRegex(@"^\| (GET|POST|PUT|DELETE) \| (/1\.0/\S+) \| `(\$1\$[0-9a-f]{40})` \|", RegexOptions.Multiline)]
    private static partial Regex SetARow();

    [GeneratedRegex(@"^\| (GET|POST|PUT|DELETE) \| `([^`]+)` \| (–|`[^`]*`) \| `(\$1\$[0-9a-f]{40})` \|", RegexOptions.Multiline)]
    private static partial Regex SetBRow();

    [GeneratedRegex(@"^TS = (\d+)", RegexOptions.Multiline)]
    private static partial Regex TimestampA();
}
