using Keyward.Manifests.Yaml;
using Xunit;

namespace Keyward.Manifests.Tests;

public class StringCacheTests
{
    [Fact]
    public void Repeats_are_one_instance()
    {
        var cache = new StringCache();
        var first = cache.Get("apiVersion: v1".AsSpan(0, 10));
        var second = cache.Get("  apiVersion".AsSpan(2));
        Assert.Equal("apiVersion", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Colliding_strings_each_come_back_with_their_own_characters()
    {
        // 20,000 distinct strings through 4,096 slots: many share a slot, and each must still read back as itself.
        var cache = new StringCache();
        var words = Enumerable.Range(0, 20_000).Select(i => $"key-{i * 7919 % 100_003}").ToArray();
        for (int round = 0; round < 2; round++)
        {
            foreach (var word in words)
                Assert.Equal(word, cache.Get(word.AsSpan()));
        }
        Assert.Equal("", cache.Get([]));
    }

    [Fact]
    public void A_duplicate_key_is_found_when_the_cache_replaced_its_first_instance()
    {
        // Two keys sharing a cache slot: "first" comes back as a new instance after "other". The reader must still
        // see "first" twice in one mapping, and refuse it as YamlDotNet does.
        var probe = new StringCache();
        const string first = "first";
        string other = Enumerable.Range(0, 1_000_000).Select(i => $"k{i}").First(candidate =>
        {
            var a = probe.Get(first);
            probe.Get(candidate);
            return !ReferenceEquals(a, probe.Get(first));
        });
        var (documents, error) = YamlDocuments.Read($"{first}: 1\n{other}: 2\n{first}: 3\n");
        Assert.NotNull(error);
        Assert.Empty(documents);
    }
}
