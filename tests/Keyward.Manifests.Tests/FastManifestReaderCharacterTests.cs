using System.Buffers;
using Keyward.Manifests.Yaml;

namespace Keyward.Manifests.Tests;

/// <summary>The check that sends a text to the full reader, against the framework's search over the same characters.</summary>
public class FastManifestReaderCharacterTests
{
    private static readonly SearchValues<char> Reference = SearchValues.Create(FastManifestReader.CharactersNeedingFullReader);

    [Fact]
    public void Every_character_is_judged_as_the_list_says()
    {
        for (int c = 0; c <= char.MaxValue; c++)
            Assert.True(Reference.Contains((char)c) == FastManifestReader.NeedsFullReader((char)c), $"U+{c:X4}");
    }

    [Fact]
    public void A_text_is_judged_as_the_framework_search_judges_it_wherever_the_character_is()
    {
        var random = new Random(20261122);
        char[] ordinary = [.. "apiVersion: v1\n\tkind: \"Secret\" é ü ☃ 日本 ~ {}[]#&*"];
        char[] needing = [.. FastManifestReader.CharactersNeedingFullReader];
        for (int length = 0; length <= 40; length++)
        {
            for (int trial = 0; trial < 50; trial++)
            {
                var text = new char[length];
                for (int i = 0; i < length; i++)
                    text[i] = ordinary[random.Next(ordinary.Length)];
                if (length > 0 && trial % 2 == 1)
                    text[random.Next(length)] = needing[random.Next(needing.Length)];
                Assert.Equal(text.AsSpan().ContainsAny(Reference), FastManifestReader.ContainsCharacterNeedingFullReader(text));
            }
        }
    }
}
