using Keyward.Cli.Commands.Ovh;
using Keyward.Core;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>The durations of --request-timeout, --timeout and --poll-interval.</summary>
public class DurationOptionTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1.5h", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData("45", 45)]
    [InlineData(" 2m ", 120)]
    [InlineData("168h", 604800)]
    public void A_number_with_a_unit_is_read(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), OvhConsole.Duration(text, TimeSpan.Zero, "--timeout"));

    [Fact]
    public void No_value_is_the_default() =>
        Assert.Equal(TimeSpan.FromMinutes(10), OvhConsole.Duration(null, TimeSpan.FromMinutes(10), "--timeout"));

    [Theory]
    [InlineData("abc")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("NaNs")]
    [InlineData("Infinitys")]
    [InlineData("1e300s")]
    [InlineData("99999999999h")]
    [InlineData("169h")]
    [InlineData("0.5ms")]
    public void Anything_else_is_a_usage_error_that_says_what_a_duration_is(string text)
    {
        var error = Assert.Throws<KeywardException>(() => OvhConsole.Duration(text, TimeSpan.Zero, "--request-timeout"));
        Assert.StartsWith($"--request-timeout \"{text}\" is not a duration", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }
}
