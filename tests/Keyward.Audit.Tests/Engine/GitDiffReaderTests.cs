namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// The patch reader counts each hunk's lines from its header: an added line that starts with "++ " reads "+++ ", a
/// file header to a reader that does not count (the line was lost, and the next path was made from its text), and
/// context lines, which a user's diff.interHunkContext can bring, must still move the line numbers on.
/// </summary>
public class GitDiffReaderTests
{
    private static List<SourceText> Read(string patch)
    {
        using var inputs = new AuditInputs { BaseDirectory = "/repo" };
        var reader = new GitDiffReader(inputs, "/repo", new Lazy<GitBlobs>(() => throw new InvalidOperationException("no blob is read")));
        return [.. reader.Read(new StringReader(patch))];
    }

    [Fact]
    public void An_added_line_that_looks_like_a_header_is_an_added_line()
    {
        const string patch = """
            diff --git a/notes.md b/notes.md
            new file mode 100644
            index 0000000..1111111
            --- /dev/null
            +++ b/notes.md
            @@ -0,0 +1,3 @@
            +++ export TOKEN=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d
            +--- not a header either
            +@@ nor this
            diff --git a/b.env b/b.env
            index 2222222..3333333 100644
            --- a/b.env
            +++ b/b.env
            @@ -1 +1 @@
            -A=1
            +A=2

            """;
        var texts = Read(patch);
        Assert.Equal(["notes.md", "b.env"], texts.Select(t => t.File));
        Assert.Equal("++ export TOKEN=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n--- not a header either\n@@ nor this\n", texts[0].Text);
        Assert.Equal([1, 2, 3], texts[0].LineNumbers);
        Assert.Equal([1], texts[1].LineNumbers);
    }

    [Fact]
    public void Context_lines_between_hunks_move_the_line_numbers_on()
    {
        const string patch = """
            diff --git a/x.env b/x.env
            index 2222222..3333333 100644
            --- a/x.env
            +++ b/x.env
            @@ -2,2 +2,4 @@ a
            +X=1
             b
             c
            +Y=2

            """;
        var text = Assert.Single(Read(patch));
        Assert.Equal("X=1\nY=2\n", text.Text);
        Assert.Equal([2, 5], text.LineNumbers);
    }
}
