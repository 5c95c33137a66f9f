using Keyward.Manifests.Yaml;

namespace Keyward.Manifests.Tests;

/// <summary>
/// The fast reader on each construct manifests use, held to YamlDotNet's tree (values, styles, tags and every
/// position, which is how YamlDotNet's position rules are pinned down), and on what it must leave to YamlDotNet.
/// </summary>
public class FastManifestReaderTests
{
    /// <summary>Texts with every construct the fast reader handles; the corpus test also mutates them.</summary>
    public static readonly string[] HandledTexts =
    [
        // block mappings and sequences
        "a: b\nc: d\n",
        "spec:\n  containers:\n  - name: x\n    image: y\n  - name: z\n  volumes: []\n",
        "a:\n  - x\n  - y\nb:\n  c:\n    d: e\n",
        "- - a\n  - b\n- - c\n",
        "- a: 1\n  b: 2\n- c\n",
        "- a:\n  - x\n  b: y\n",
        "a: b\nc:\n  - d\n  -\n    e: f\n",
        "  a: indented root\n  b: c\n",
        "a: b\n \nc: d\n",
        "a:\n  b\n",
        "key: value   \nother:    spaced\n",
        // empty values: positioned after the ':' or '-'
        "a:\nb:   # c\nc: x\n",
        "-\n- a\n-   # c\n-\n",
        "- - \n",
        "a:",
        // plain scalars with indicators inside
        "key:value: x\nurl: http://example.com:8080/path\ncolon: a:b\ndash: -x\nneg: -1\nhash: a#b\n",
        "a: b, c]\nd: x'y\"z\n",
        "top\n",
        // quoted scalars
        "a: 'it''s'\nb: \"q\\\"d\\\\e\\n\\t\\u00e9\\x41\\/\\ \\0\"\nc: ''\nd: \"\"\n",
        "\"key with space\": 1\n'single': 2\n\"a\" : 3\n",
        "\"quoted top\"\n",
        "a: \"\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\"\n",
        // block scalars: chomping, indentation indicators, folding, blank and more-indented lines
        "a: |\n  line1\n  line2\nb: |-\n  x\n\nc: |+\n  x\n\n\nd: >\n  a\n  b\n\n  c\n    d\n  e\ne: >-\n  folded\nf: |2\n    indented\ng: |-2\n    more\nh: >+\n  keep\n\n",
        "a: |\n  # not a comment\n  x\n# a comment\nb: 1\n",
        "- |\n  in seq\n- >-\n  folded in seq\n",
        "--- |\n  doc literal\n--- >\n  folded doc\n",
        "a: |\n\n  after blank\n   \n  x\n    \nb: c\n",
        "a: >\n\n  a\n   b\n  c\n\n\n  d\n",
        "a: |\nb: c\n",
        "a: |+\n\n\nb: c\n",
        "a: |\n  no final break",
        "a: >2-  # comment\n    x\n   y\n",
        "- a: |\n    x\n  b: y\n",
        // comments
        "a: x # comment\nb: \"y\" # comment\nc: 'z'   # comment\nd: [1, 2] # comment\n# full line\n  # indented comment\ne: f#g\n",
        // documents
        "---\na: 1\n---\nb: 2\n...\n---\nc: 3\n",
        "---\n---\na: b\n---\n",
        "---",
        "---\n# c\n",
        "---\n...\n---\n...\n",
        "a: b\n...\n",
        "a: b\n...\nc: d\n",
        "--- # comment\na: b\n",
        "--- a\n--- \"b\"\n--- [c]\n",
        "# only a comment\n",
        "---\n... \n---\n...  # c\n---  \n", // an empty document ends after "..." and its spaces, not after "---"
        "",
        "\n\n",
        "a: b\r\nc:\r\n  - d\r\n",
        // flow collections, JSON
        "args: [\"a\", \"b\", 'c', d]\nempty: []\nemptymap: {}\nmap: {a: 1, \"b\": c, 'd': [x]}\nnested: [[1, 2], {a: b}]\n",
        "{\"apiVersion\": \"v1\", \"kind\": \"List\",\n \"items\": [\n   {\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\", \"labels\": {}}},\n   {\"n\": null, \"b\": true, \"x\": 1.5, \"s\": \"a\\u0041\"}\n ]\n}\n",
        "{\n\t\"tabs\": [\n\t\t\"a\",\n\t\t{\"b\": 1}\n\t]\n}\n",
        "{\"a\":1, \"b\":\"c\"}",
        "[http://x, a:1, -1, a b]\n",
        "a: [x,\n  y]\nb: {x: 1,\n  y: 2} # c\n",
        "- [a, b]\n- {c: d}\n",
        "[a, # comment\n b]\n",
        // tags: the node starts at its tag
        "a: !foo b\nc: !!str d\ne: !t\n  f: g\nh: !t\n- i\nj: !!binary |\n  aGVsbG8=\nk: !t [a]\n",
        "--- !t\na: b\n",
        "--- !t\n",
        "- !t\n  a: b\n- !t\n  - c\n",
        "a: !t\nb: c\n",
        "a: !t\n  x\n",
    ];

    public static TheoryData<string> Handled => [.. HandledTexts];

    [Theory]
    [MemberData(nameof(Handled))]
    public void Reads_what_YamlDotNet_reads(string yaml)
    {
        var expected = YamlReference.Read(yaml);
        Assert.NotNull(expected);
        var actual = FastManifestReader.TryRead(yaml);
        Assert.NotNull(actual);
        Assert.Null(YamlTreeComparer.FirstDifference(expected, actual));
    }

    [Theory]
    [InlineData("a: &x b\nc: *x\n")] // anchors and aliases
    [InlineData("? a\n: b\n")] // complex key
    [InlineData("%YAML 1.1\n---\na: b\n")] // directive
    [InlineData("a:\tb\nc: d\te\n")] // tabs in block context
    [InlineData("a: b\n  c\n")] // multi-line plain scalar
    [InlineData("a: \"b\n  c\"\n")] // multi-line quoted scalar
    [InlineData("a: \"\\U0001F600\"\n")] // rare escape
    [InlineData("!t a: b\n")] // tagged key
    [InlineData("a: !<tag:x> b\n")] // verbatim tag
    [InlineData("[a, b, ]\n")] // trailing comma
    [InlineData("{a, b: c}\n")] // flow key without value
    [InlineData("--- |\n--- >\n")] // YamlDotNet reads "--- >" into a top-level block scalar
    [InlineData("a: |\n \n  x\n")] // a leading blank line with spaces
    public void Leaves_what_it_does_not_handle_to_YamlDotNet(string yaml)
    {
        Assert.NotNull(YamlReference.Read(yaml));
        Assert.Null(FastManifestReader.TryRead(yaml));
    }

    [Theory]
    [InlineData("a: 1\na: 2\n")] // duplicate key
    [InlineData("a: 1\n\"a\": 2\n")] // duplicate key, other style
    [InlineData("{\"a\": 1, \"a\": 2}\n")] // duplicate key in flow
    [InlineData("a:\n  b: 1\n c: 2\n")] // bad indentation
    [InlineData("a: b\n  c: d\n")] // bad indentation
    [InlineData("- a\nb: c\n")] // sequence then mapping
    [InlineData("a: b: c\n")] // mapping in a plain value
    [InlineData("a: \"unterminated\n")] // unterminated quote
    [InlineData("a: 'unterminated\n")]
    [InlineData("a: [b, c\n")] // unterminated flow
    [InlineData("a: \"x\"#c\n")] // comment not after a space
    [InlineData("a: |\n\n   \n  x\n")] // leading blank line deeper than the block scalar
    [InlineData("a: [x,\ny]\n")] // flow line not indented (YamlDotNet throws InvalidOperationException)
    [InlineData("...\na: b\n")] // "..." ending nothing (YamlDotNet throws InvalidOperationException)
    [InlineData("x # c\n---\nb\n")] // YamlDotNet's plain-root-then-comment error
    [InlineData("a *b: c\nd: e\n")] // YamlDotNet reads "a *b: c" as one scalar, then fails
    [InlineData("a: \"\\q\"\n")] // unknown escape
    [InlineData("a: |\n  \n  x\n")] // "found extra spaces in first line"
    [InlineData("x:\n  y:\n    a: >\n   \n  b: c\n")] // "found more spaces in lines above first content line"
    [InlineData("a: b\n...\n- x\n")] // a sequence after "..." without "---"
    [InlineData("[\n---\t\n]\n")] // a document marker inside a flow collection
    [InlineData(" : x: y\n")] // YamlDotNet throws ArgumentException
    public void Gives_up_where_YamlDotNet_fails(string yaml)
    {
        Assert.Null(YamlReference.Read(yaml));
        Assert.Null(FastManifestReader.TryRead(yaml));
    }

    [Theory]
    [InlineData("a: x\uD800y\n")] // a lone surrogate
    [InlineData("a: \"x\uDC00\"\n")]
    [InlineData("a: \u00A0\nb:\u00A0c\n\u00A0d: e\n")] // no-break spaces are not spaces
    [InlineData("\uFEFFa: b\n")] // a byte order mark
    [InlineData("a: b\u0085c\n")] // NEL, a YAML 1.1 line break
    [InlineData("a: b\rc: d\n")] // a lone CR
    [InlineData("a: \"\\uD83D\\uDE00\"\n")] // an escaped surrogate pair
    public void Unusual_characters_read_as_YamlDotNet_reads_them_or_give_up(string yaml)
    {
        var expected = YamlReference.Read(yaml);
        var actual = FastManifestReader.TryRead(yaml);
        if (expected is null)
            Assert.Null(actual);
        else if (actual is not null)
            Assert.Null(YamlTreeComparer.FirstDifference(expected, actual));
    }

    [Fact]
    public void Deep_nesting_is_read_up_to_a_limit_then_left_to_YamlDotNet()
    {
        string Flow(int depth) => new string('[', depth) + "x" + new string(']', depth) + "\n";
        string Block(int depth) => string.Concat(Enumerable.Range(0, depth).Select(d => new string(' ', d) + "k:\n")) + new string(' ', depth) + "v\n";
        foreach (var yaml in new[] { Flow(100), Block(100) })
        {
            var actual = FastManifestReader.TryRead(yaml);
            Assert.NotNull(actual);
            Assert.Null(YamlTreeComparer.FirstDifference(YamlReference.Read(yaml)!, actual));
        }
        Assert.Null(FastManifestReader.TryRead(Flow(5000)));
        Assert.Null(FastManifestReader.TryRead(Block(5000)));
    }
}
