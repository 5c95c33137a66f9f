using Keyward.Core;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Tests;

/// <summary>
/// Aliases are expanded (copied) as sops does, within the bound the manifest reader sets: a "billion laughs" file of a
/// kilobyte is refused at the alias that passes it, quickly, instead of growing until memory runs out.
/// </summary>
public sealed class YamlAliasBudgetTests
{
    /// <summary>8 levels of 9 aliases each: 9^8 (43 million) scalars from 1.2 kB.</summary>
    internal static string Bomb()
    {
        var text = new System.Text.StringBuilder("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (char level = 'b'; level <= 'h'; level++)
        {
            var anchor = level == 'h' ? "" : $"&{level} ";
            text.Append($"{level}: {anchor}[{string.Join(",", Enumerable.Repeat($"*{(char)(level - 1)}", 9))}]\n");
        }
        return text.ToString();
    }

    [Fact]
    public async Task A_billion_laughs_file_is_refused_at_the_alias_that_passes_the_bound()
    {
        var read = Task.Run(() => Record.Exception(() => new YamlStore().Read(System.Text.Encoding.UTF8.GetBytes(Bomb()), "bomb.yaml", encrypted: false)));
        // A bound that is gone makes this fail, not hang: the read is left to run on its own thread.
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))));
        var e = Assert.IsType<KeywardException>(await read);
        Assert.Equal(FailureKind.Usage, e.Kind);
        // g's first *f: the copies made so far (b to f whole, then one f of 597,871 nodes) pass 1,000,000 there.
        Assert.StartsWith("\"bomb.yaml\" line 7 column 8: invalid YAML: aliases expand to too many nodes", e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(e.Hint));
    }

    [Fact]
    public void The_bound_is_the_one_the_manifest_reader_uses()
    {
        Assert.Equal(1_000_000, YamlAliasBudget.Allowance);
        Assert.Contains(YamlAliasBudget.Exceeded, Assert.Throws<KeywardException>(() => YamlTreeReader.Read(Bomb(), "b.yaml")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_within_the_bound_read_as_copies_of_their_anchor()
    {
        var file = YamlTreeReader.Read("base: &b\n  user: admin\n  port: 5432\nreplica: *b\nlist: &l [x, y]\nagain: [*l, *l]\n", "ok.yaml");
        var root = file.Documents[0].Root;
        var replica = Assert.IsType<SopsMapping>(Value(root, "replica"));
        Assert.Equal(["user", "port"], replica.Items.OfType<SopsEntry>().Select(e => e.Key));
        Assert.NotSame(Value(root, "base"), replica); // a copy: encrypting one does not encrypt the other twice
        var again = Assert.IsType<SopsSequence>(Value(root, "again"));
        Assert.Equal(2, again.Items.Count);
    }

    [Fact]
    public void A_wide_file_without_aliases_is_not_limited_by_the_bound()
    {
        // The bound grows with the text: a large file with no aliases is never refused by it.
        var text = string.Concat(Enumerable.Range(0, 300_000).Select(i => $"k{i}: [a, b, c]\n"));
        var file = YamlTreeReader.Read(text, "wide.yaml");
        Assert.Equal(300_000, file.Documents[0].Root.Items.Count);
    }

    private static SopsNode Value(SopsMapping map, string key) => map.Items.OfType<SopsEntry>().Single(e => e.Key == key).Value;
}
