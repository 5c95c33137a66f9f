namespace Keyward.Audit.Tests.Engine;

/// <summary>Paths on git's <c>+++</c> lines, quoted and padded as git writes them (with core.quotepath on or off).</summary>
public class GitDiffPathTests
{
    [Theory]
    [InlineData("b/deploy.sh", "b/deploy.sh")]
    [InlineData("b/plain name.env\t", "b/plain name.env")]
    [InlineData("\"b/\\303\\251 config.env\"\t", "b/é config.env")]
    [InlineData("\"b/\\360\\237\\224\\221.env\"", "b/🔑.env")]
    [InlineData("\"b/tab\\there\\nnew\\\\line\\\".env\"", "b/tab\there\nnew\\line\".env")]
    [InlineData("\"b/é \\\"raw\\\" 🔑.env\"\t", "b/é \"raw\" 🔑.env")]
    [InlineData("\"b/ends with backslash\\\"", "b/ends with backslash\\")]
    public void Git_quoting_is_undone(string field, string path) => Assert.Equal(path, GitDiffReader.DiffPath(field));
}
