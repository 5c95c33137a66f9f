namespace Keyward.Core.Tests;

public class ParserMessagesTests
{
    [Theory]
    [InlineData("The anchor 'hunter2Secret' does not exists")]
    [InlineData("Anchor 'hunter2Secret' not found")]
    [InlineData("(Line: 7, Col: 13, Idx: 80) - (Line: 7, Col: 27, Idx: 94): Anchor 'hunter2Secret' not found")]
    public void An_unknown_alias_says_to_quote_the_value_and_not_its_name(string message)
    {
        Assert.Equal(ParserMessages.UnknownAlias, ParserMessages.Yaml(message));
    }

    [Theory]
    [InlineData("Encountered an unresolved tag '!hunter2Secret'")]
    [InlineData("(Line: 1, Col: 1, Idx: 0) - (Line: 1, Col: 2, Idx: 1): Duplicate key hunter2Secret")]
    [InlineData("While parsing a node, found undefined tag handle.")]
    [InlineData("Some future message quoting 'hunter2Secret' (Line: 3, Col: 4, Idx: 5)")]
    [InlineData("Some future message quoting \"hunter2Secret")]
    public void Other_yaml_messages_keep_their_reason_and_lose_the_input(string message)
    {
        var text = ParserMessages.Yaml(message);
        Assert.DoesNotContain("hunter2", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Line:", text, StringComparison.Ordinal);
        Assert.False(char.IsUpper(text[0]), text);
    }

    [Fact]
    public void A_yaml_message_that_quotes_nothing_reads_as_it_was()
    {
        Assert.Equal("while parsing a block mapping, did not find expected key", ParserMessages.Yaml("While parsing a block mapping, did not find expected key."));
    }

    [Theory]
    [InlineData("'tHunter2Secret' is an invalid JSON literal. Expected the literal 'true'. LineNumber: 0 | BytePositionInLine: 1.")]
    [InlineData("'h' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.")]
    [InlineData("something else about 'hunter2Secret'")]
    public void Json_messages_become_a_reason_without_the_input(string message)
    {
        var text = ParserMessages.Json(message);
        Assert.DoesNotContain("unter2", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'h'", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'x' is invalid after a value. Expected either ',', '}', or ']'. LineNumber: 2 | BytePositionInLine: 5.", "a missing ',' or closing bracket after a value")]
    [InlineData("'1' is an invalid end of a number. Expected a delimiter. LineNumber: 0 | BytePositionInLine: 3.", "an invalid number")]
    [InlineData("Cannot read the JSON document here. LineNumber: 4 | BytePositionInLine: 0.", "the text is not valid JSON here")]
    public void Json_reasons_are_read_from_the_message_not_from_its_position(string message, string reason)
    {
        // "LineNumber" holds the word "number": the position must not make every message "an invalid number".
        Assert.Equal(reason, ParserMessages.Json(message));
    }
}
