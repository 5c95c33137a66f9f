namespace Keyward.Audit.Tests.Engine;

public class FingerprintTests
{
    [Fact]
    public void A_fingerprint_is_twenty_hex_digits_that_change_with_the_secret_and_not_with_the_line()
    {
        var first = FindingSink.Fingerprint("KW201", "a.yaml", null, "data.key", "", ["s3cr3t-one"], null);
        var again = FindingSink.Fingerprint("KW201", "a.yaml", null, "data.key", "", ["s3cr3t-one"], null);
        var other = FindingSink.Fingerprint("KW201", "a.yaml", null, "data.key", "", ["s3cr3t-two"], null);
        Assert.Matches("^[0-9a-f]{20}$", first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }
}
