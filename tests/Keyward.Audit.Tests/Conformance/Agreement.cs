namespace Keyward.Audit.Tests.Conformance;

/// <summary>Agreement of one corpus: cases compared, and each disagreement with what differed.</summary>
internal sealed class Agreement(string corpus)
{
    public List<string> Disagreements { get; } = [];
    public int Compared { get; private set; }
    public string Corpus { get; } = corpus;

    public void Record(string caseName, bool agrees, string detail)
    {
        Compared++;
        if (!agrees)
            Disagreements.Add($"{caseName}: {detail}");
    }

    public double Ratio => Compared == 0 ? 0 : (double)(Compared - Disagreements.Count) / Compared;

    /// <summary>Fails below 95%; the disagreements are written out so docs/conformance.md can list them.</summary>
    public void AssertAtLeast95Percent()
    {
        var report = $"{Corpus}: {Compared - Disagreements.Count}/{Compared} agree ({Ratio:P1})\n  " + string.Join("\n  ", Disagreements);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), $"keyward-conformance-{Corpus}.txt"), report);
        Assert.True(Compared > 0, $"{Corpus}: nothing compared");
        Assert.True(Ratio >= 0.95, report);
    }
}
