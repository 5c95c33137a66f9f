using System.Diagnostics;
using Keyward.Manifests.Yaml;
using Keyward.Testing;
using Xunit.Abstractions;

namespace Keyward.Manifests.Tests;

/// <summary>
/// The fast reader against YamlDotNet on outside material (the shared conformance files and the repository's
/// examples) and on thousands of broken variants of it: whenever it returns a tree, the tree is YamlDotNet's, and
/// whenever YamlDotNet fails, it gives up.
/// </summary>
public class FastManifestReaderCorpusTests(ITestOutputHelper output)
{
    // Measured 100% (835 of 835 files); the margin lets a few new odd files into the material.
    private const double MinimumCoverage = 0.98;

    private static List<string> MaterialFiles()
    {
        string[] roots = [SharedMaterial.Path("conformance"), Path.Combine(SharedMaterial.RepositoryRoot, "examples")];
        return roots
            .Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)
                || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void Every_material_file_reads_as_YamlDotNet_reads_it_and_nearly_all_take_the_fast_path()
    {
        var files = MaterialFiles();
        Assert.NotEmpty(files);
        int readable = 0, fast = 0;
        var gaveUp = new List<string>();
        var failures = new List<string>();
        foreach (var file in files)
        {
            string text = File.ReadAllText(file);
            var expected = YamlReference.Read(text);
            var actual = FastManifestReader.TryRead(text);
            if (expected is null)
            {
                if (actual is not null)
                    failures.Add($"{file}: YamlDotNet fails but the fast reader returned a tree");
                continue;
            }
            readable++;
            if (actual is null)
            {
                gaveUp.Add(file);
                continue;
            }
            fast++;
            var difference = YamlTreeComparer.FirstDifference(expected, actual);
            if (difference is not null)
                failures.Add($"{file}: {difference}");
        }
        output.WriteLine($"{files.Count} files, {readable} read by YamlDotNet, {fast} by the fast reader ({(double)fast / readable:P1})");
        foreach (var file in gaveUp)
            output.WriteLine($"gave up: {file}");
        Assert.Empty(failures);
        Assert.True(fast >= MinimumCoverage * readable, $"the fast reader handled {fast} of {readable} files");
    }

    [Fact]
    public void Broken_variants_of_the_material_read_as_YamlDotNet_reads_them_or_give_up()
    {
        // Small material files, and the snippets with the constructs the material lacks (block scalar indicators, tags).
        var texts = MaterialFiles().Select(File.ReadAllText).Where(t => t.Length < 20_000).ToList();
        for (int copies = 0; copies < 20; copies++)
            texts.AddRange(FastManifestReaderTests.HandledTexts.Where(t => t.Length > 0));
        Assert.NotEmpty(texts);
        var random = new Random(20261122);
        int variants = 0, same = 0, errors = 0, gaveUp = 0;
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        while (variants < 20_000 && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            string text = Mutate(texts[random.Next(texts.Count)], random);
            variants++;
            var expected = YamlReference.Read(text);
            var actual = FastManifestReader.TryRead(text);
            if (expected is null)
            {
                errors++;
                if (actual is not null)
                    failures.Add($"YamlDotNet fails but the fast reader returned a tree: {Visible(text)}");
            }
            else if (actual is null)
            {
                gaveUp++;
            }
            else if (YamlTreeComparer.FirstDifference(expected, actual) is { } difference)
            {
                failures.Add($"{difference}: {Visible(text)}");
            }
            else
            {
                same++;
            }
            if (failures.Count >= 3)
                break;
        }
        foreach (var failure in failures)
            output.WriteLine(failure);
        output.WriteLine($"{variants} variants: {same} identical, {errors} YamlDotNet errors, {gaveUp} given up, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Empty(failures);
        Assert.True(variants >= 1000, $"only {variants} variants in the time allowed");
        Assert.True(same > variants / 10 && errors > variants / 10, "the mutations should give both readable and broken texts");
    }

    private static string Visible(string text) =>
        text.Replace("\n", "⏎", StringComparison.Ordinal).Replace("\t", "→", StringComparison.Ordinal);

    // Characters and pieces that matter to YAML's syntax, for insertions. Anchors and aliases are left out: the fast
    // reader gives up on them, and YamlDotNetConverter recurses forever on a recursive alias.
    private const string Characters = ":-# \"'[]{},|>!&*\\\n\t?%@`";

    private static readonly string[] Pieces =
    [
        "---\n", "...\n", "- ", ": ", " #", "|", ">-", "|2", "!t ", "!!str ", "\"", "'", "[", "]", "{", "}", ", ", "\r\n", "\r",
        "\t", "  ", "\n", "\\", "\\u00", "''", "? ", "-", "\n- ", "\n  ", "\n    ",
    ];

    /// <summary>
    /// One to three edits: delete a character, insert a character or a piece of syntax, duplicate or delete a line,
    /// change its indentation.
    /// </summary>
    private static string Mutate(string text, Random random)
    {
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && text.Length > 0; e++)
        {
            int at = random.Next(text.Length);
            int lineStart = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
            int lineEnd = text.IndexOf('\n', at);
            int nextLine = lineEnd < 0 ? text.Length : lineEnd + 1;
            text = random.Next(9) switch
            {
                0 => text.Remove(at, 1),
                1 => text.Insert(at, Characters[random.Next(Characters.Length)].ToString()),
                7 => text.Insert(at, Pieces[random.Next(Pieces.Length)]),
                8 => text.Insert(lineStart, Pieces[random.Next(Pieces.Length)]),
                2 => text.Insert(lineStart, text[lineStart..nextLine]),
                3 => text.Insert(lineStart, " "),
                4 => lineStart < text.Length && text[lineStart] == ' ' ? text.Remove(lineStart, 1) : text,
                5 => text.Remove(lineStart, nextLine - lineStart),
                _ => text.Insert(lineStart, "  "),
            };
        }
        return text;
    }
}
