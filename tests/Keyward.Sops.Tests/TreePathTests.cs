using Keyward.Core;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Tests;

public class TreePathTests
{
    [Fact]
    public void Keys_in_either_quote_and_indexes_are_read()
    {
        Assert.Equal(["a", "b c", 0, 12], TreePath.Parse("[\"a\"]['b c'][0][12]"));
        Assert.Equal(["]x["], TreePath.Parse("[\"]x[\"]"));
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("a", 1)]
    [InlineData("[", 1)]
    [InlineData("[\"a\"][", 6)]
    [InlineData("[\"a\"]x", 6)]
    [InlineData("[-1]", 1)]
    [InlineData("[1.5]", 1)]
    [InlineData("[\"a]", 1)]
    public void A_malformed_path_is_a_usage_error_at_its_character(string path, int character)
    {
        var error = Assert.Throws<KeywardException>(() => TreePath.Parse(path));
        Assert.Equal($"invalid path {path} at character {character}", error.Message);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }

    [Fact]
    public void Every_cut_and_every_one_character_change_of_a_path_parses_or_is_a_usage_error()
    {
        const string Path = "[\"data\"]['key'][3][\"x\"]";
        const string Alphabet = "[]\"'0a-. \\";
        var variants = new List<string>();
        for (int i = 0; i <= Path.Length; i++)
        {
            variants.Add(Path[..i]);
            variants.Add(Path[i..]);
            foreach (char c in Alphabet)
            {
                variants.Add(Path[..i] + c + Path[i..]);
                if (i < Path.Length)
                    variants.Add(Path[..i] + c + Path[(i + 1)..]);
            }
        }
        foreach (var variant in variants)
        {
            try
            {
                TreePath.Parse(variant);
            }
            catch (KeywardException)
            {
            }
        }
    }
}
