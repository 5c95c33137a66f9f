namespace Keyward.Audit.Tests.Engine;

public class ParseAheadTests
{
    [Fact]
    public void Files_come_back_in_order_each_with_its_own_documents()
    {
        var texts = Enumerable.Range(0, 200)
            .Select(i => new SourceText($"f{i:D3}.yaml", string.Concat(Enumerable.Repeat($"kind: ConfigMap\nmetadata:\n  name: cm-{i}\n---\n", i % 7 + 1))))
            .ToList();
        var seen = ParseAhead.Run(texts, t => t.File.EndsWith("5.yaml", StringComparison.Ordinal) is false).ToList();
        Assert.Equal(texts.Select(t => t.File), seen.Select(s => s.Text.File));
        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i].File.EndsWith("5.yaml", StringComparison.Ordinal))
            {
                Assert.Null(seen[i].Parsed);
                continue;
            }
            var documents = seen[i].Parsed!.Documents;
            Assert.Equal(i % 7 + 1, documents.Count);
            Assert.All(documents, d => Assert.Equal($"cm-{i}", d.Reference.Name));
        }
    }

    [Fact]
    public void Stopping_early_stops_the_parser_thread()
    {
        var texts = Enumerable.Range(0, 1000).Select(i => new SourceText($"f{i}.yaml", "kind: ConfigMap\n")).ToList();
        Assert.Equal(3, ParseAhead.Run(texts, _ => true).Take(3).Count());
    }

    [Fact]
    public void A_failure_while_parsing_reaches_the_caller()
    {
        var texts = Enumerable.Range(0, 50).Select(i => new SourceText($"f{i}.yaml", "kind: ConfigMap\n")).ToList();
        var error = Assert.Throws<InvalidOperationException>(() => ParseAhead.Run(texts, t => t.File == "f30.yaml" ? throw new InvalidOperationException("boom") : true).ToList());
        Assert.Equal("boom", error.Message);
    }
}
