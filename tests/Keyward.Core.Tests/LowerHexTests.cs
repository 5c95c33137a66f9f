namespace Keyward.Core.Tests;

public class LowerHexTests
{
    [Fact]
    public void Encodes_as_the_framework_does_for_every_byte_and_length()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(Convert.ToHexStringLower(all), LowerHex.Encode(all));
        var random = new Random(20261122);
        foreach (int length in new[] { 0, 1, 6, 10, 127, 128, 129, 1000 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal(Convert.ToHexStringLower(bytes), LowerHex.Encode(bytes));
        }
    }
}
