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

public sealed class KeywardExceptionQuotedTextTests
{
    [Theory]
    [InlineData("Found undefined alias 'hunter2-secret'.", "found undefined alias '…'")]
    [InlineData("While scanning a plain scalar, found \"tG7#kP2mQx9\" here.", "while scanning a plain scalar, found \"…\" here")]
    [InlineData("Did not find expected ',' or ']'.", "did not find expected ',' or ']'")]
    [InlineData("While scanning a quoted scalar, found unknown escape character.", "while scanning a quoted scalar, found unknown escape character")]
    [InlineData("Unclosed 'quote at the end", "unclosed '…")]
    public void Without_quoted_text_keeps_the_reason_and_drops_quoted_input(string message, string expected) =>
        Assert.Equal(expected, KeywardException.PlainWithoutQuotedText(message));
}
