namespace Keyward.Core.Tests;

public sealed class KeywardExceptionTests
{
    [Theory]
    [InlineData("Access to the path '/x' is denied.", "access to the path '/x' is denied")]
    [InlineData("Is a directory : '/tmp/a'", "is a directory : '/tmp/a'")]
    [InlineData("JSON value could not be converted.", "JSON value could not be converted")]
    [InlineData("HTTP 404 Not Found.", "HTTP 404 Not Found")]
    [InlineData("no such key...", "no such key")]
    [InlineData("X", "X")]
    public void Plain_quotes_another_message_in_keywards_style(string message, string expected) =>
        Assert.Equal(expected, KeywardException.Plain(new InvalidOperationException(message)));
}
