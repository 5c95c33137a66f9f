using Keyward.Core;

namespace Keyward.Core.Tests;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "0 keys")]
    [InlineData(1, "1 key")]
    [InlineData(2, "2 keys")]
    public void The_noun_follows_the_count(int count, string expected) => Assert.Equal(expected, Plural.Count(count, "key"));

    [Fact]
    public void An_irregular_plural_is_given() => Assert.Equal("3 identities", Plural.Count(3, "identity", "identities"));
}
