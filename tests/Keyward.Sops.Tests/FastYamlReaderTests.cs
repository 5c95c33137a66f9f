using System.Globalization;
using System.Text;
using Keyward.Age.Recipients;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Sops.Tests;

/// <summary>
/// The fast line-based YAML reader against the full YamlDotNet-based reader: whenever the fast one accepts a text it
/// must build the very same trees (positions, styles, comments, layout); on texts the full reader rejects it must give up.
/// </summary>
public sealed class FastYamlReaderTests
{
    private static readonly string[] Corpus =
    [
        CorpusFiles.NestedYaml, CorpusFiles.ListsYaml, CorpusFiles.ScalarsYaml, CorpusFiles.MultiDocYaml,
        CorpusFiles.KubernetesSecret, CorpusFiles.RulesYaml,
    ];

    private static bool Compare(string text, string name)
    {
        SopsFile? full;
        try
        {
            full = YamlTreeReader.ReadFull(text, name);
        }
        catch (KeywardException)
        {
            full = null;
        }
        var fast = FastYamlReader.TryRead(text, name);
        if (full is null)
        {
            Assert.True(fast is null, $"{name}: the fast reader accepted YAML the full reader rejects:\n{text}");
            return false;
        }
        if (fast is null)
            return false;
        Assert.Equal(full.Layout, fast.Layout);
        Assert.Equal(full.Documents.Count, fast.Documents.Count);
        for (int i = 0; i < full.Documents.Count; i++)
        {
            Assert.Equal(full.Documents[i].ExplicitStart, fast.Documents[i].ExplicitStart);
            AssertSame(full.Documents[i].Root, fast.Documents[i].Root, $"{name} document {i}", text);
        }
        return true;
    }

    private static void AssertSame(SopsNode expected, SopsNode actual, string where, string text)
    {
        string Context() => $"{where}: full {Describe(expected)} fast {Describe(actual)}\n{text}";
        Assert.True(expected.GetType() == actual.GetType() && expected.Line == actual.Line && expected.Column == actual.Column, Context());
        switch (expected)
        {
            case SopsScalar s:
                var a = (SopsScalar)actual;
                Assert.True(s.Kind == a.Kind && s.Text == a.Text && s.Style == a.Style && s.Source == a.Source && s.Tag == a.Tag, Context());
                break;
            case SopsComment c:
                var ac = (SopsComment)actual;
                Assert.True(c.Text == ac.Text && c.Inline == ac.Inline, Context());
                break;
            case SopsEntry e:
                var ae = (SopsEntry)actual;
                Assert.True(e.Key == ae.Key && e.KeyStyle == ae.KeyStyle, Context());
                AssertSame(e.Value, ae.Value, where + "[\"" + e.Key + "\"]", text);
                break;
            case SopsMapping m:
                AssertItems(m.Items, ((SopsMapping)actual).Items, where, text);
                break;
            case SopsSequence q:
                AssertItems(q.Items, ((SopsSequence)actual).Items, where, text);
                break;
        }
    }

    private static void AssertItems(List<SopsNode> expected, List<SopsNode> actual, string where, string text)
    {
        Assert.True(expected.Count == actual.Count,
            $"{where}: {expected.Count} items vs {actual.Count}: full [{string.Join(", ", expected.Select(Describe))}] fast [{string.Join(", ", actual.Select(Describe))}]\n{text}");
        for (int i = 0; i < expected.Count; i++)
            AssertSame(expected[i], actual[i], $"{where}[{i}]", text);
    }

    private static string Describe(SopsNode n) => n switch
    {
        SopsScalar s => $"scalar {s.Kind} '{s.Text}' {s.Style} @{n.Line}:{n.Column}",
        SopsComment c => $"comment '{c.Text}' @{n.Line}:{n.Column}",
        SopsEntry e => $"entry {e.Key} @{n.Line}:{n.Column}",
        _ => $"{n.GetType().Name} @{n.Line}:{n.Column}",
    };

    [Fact]
    public void Agrees_with_the_full_reader_on_the_corpus_and_the_fixtures()
    {
        foreach (var (text, i) in Corpus.Select((t, i) => (t, i)))
            Compare(text, $"corpus{i}.yaml");
        var fixtures = Directory.EnumerateFiles(FixtureSupport.Fixture(), "*.y*ml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(fixtures);
        int accepted = 0;
        foreach (var path in fixtures)
            accepted += Compare(File.ReadAllText(path), path) ? 1 : 0;
        Assert.True(accepted >= fixtures.Count / 2, $"the fast reader took only {accepted} of {fixtures.Count} fixtures");
        Assert.True(Compare(CorpusFiles.KubernetesSecret, "secret.yaml"), "a plain Secret must take the fast path");
    }

    [Fact]
    public void Agrees_on_what_keyward_writes_encrypted_and_takes_block_files_fast()
    {
        using var identity = X25519Identity.Generate();
        var store = new YamlStore();
        var plainBlock = new StringBuilder("# settings\n");
        for (int g = 0; g < 5; g++)
        {
            plainBlock.Append(CultureInfo.InvariantCulture, $"group{g}:\n  # group {g}\n");
            for (int v = 0; v < 4; v++)
                plainBlock.Append(CultureInfo.InvariantCulture, $"  key{v}: value-{g}-{v}\n");
            plainBlock.Append("  list:\n    - a\n    - n: 1\n      m: true\n  text: |\n    line 1\n\n    line 2\n");
        }
        string[] mustBeFast = [CorpusFiles.KubernetesSecret, plainBlock.ToString()];
        foreach (var (text, i) in Corpus.Concat(mustBeFast).Select((t, i) => (t, i)))
        {
            bool required = i >= Corpus.Length;
            if (required)
                Assert.True(Compare(text, $"c{i}.yaml"), $"plain block YAML must take the fast path:\n{text}");
            var file = store.Read(Encoding.UTF8.GetBytes(text), $"c{i}.yaml", encrypted: false);
            SopsEngine.Encrypt(file, new EncryptionSettings { AgeKeyGroups = [[identity.Recipient.ToString()], [identity.Recipient.ToString()]] });
            var written = Encoding.UTF8.GetString(store.Write(file));
            bool fast = Compare(written, $"c{i}.enc.yaml");
            Assert.True(fast || !required, $"keyward's encrypted output of block YAML must take the fast path:\n{written}");
        }
    }

    [Fact]
    public void Agrees_with_the_full_reader_on_generated_block_yaml()
    {
        var random = new Random(31337);
        int accepted = 0;
        const int Cases = 400;
        for (int n = 0; n < Cases; n++)
        {
            var text = new YamlGenerator(random).Document();
            accepted += Compare(text, $"gen{n}.yaml") ? 1 : 0;
        }
        Assert.True(accepted > Cases / 3, $"the fast reader took only {accepted} of {Cases} generated documents");
    }

    /// <summary>Random block YAML in the shapes the fast reader handles, with some it must refuse mixed in.</summary>
    private sealed class YamlGenerator(Random random)
    {
        private readonly StringBuilder _sb = new();
        private readonly int _step = random.Next(2) == 0 ? 2 : 4;
        private readonly bool _indentless = random.Next(3) == 0;

        private static readonly string[] Scalars =
        [
            "plain", "two words", "42", "-7", "3.25", "1e3", "true", "False", "null", "~", "2024-01-02", "2006-01-02T15:04:05Z",
            "\"double quoted\"", "'single ''quoted'''", "\"\"", "''", "http://x.example/a:b", "ENC[AES256_GCM,data:AAA=,iv:BBB=,tag:CCC=,type:str]",
            "a#b", "0x1F", "0o17", "-.inf", ".nan", "ü ñ 値", "-dash", "|", "|-",
        ];

        // Forms the fast reader leaves to the full one.
        private static readonly string[] Refused = ["\"esc\\n\"", "{a: b}", "[1, 2]", "&anchor x", "!!str 5", "a # inline", ">", "|+", ""];

        public string Document()
        {
            if (random.Next(4) == 0)
                _sb.Append("---\n");
            Comments(0);
            Mapping(0, random.Next(1, 5), 3);
            if (random.Next(4) == 0)
            {
                _sb.Append("---\n");
                Mapping(0, random.Next(1, 3), 2);
            }
            Comments(random.Next(3) * _step);
            if (random.Next(20) == 0)
                _sb.Append("bad: [\n");
            return _sb.ToString();
        }

        private void Comments(int indent)
        {
            while (random.Next(5) == 0)
                _sb.Append(' ', random.Next(2) == 0 ? indent : random.Next(0, 8)).Append(random.Next(2) == 0 ? "# comment" : "#").Append('\n');
            if (random.Next(8) == 0)
                _sb.Append('\n');
        }

        private void Mapping(int indent, int count, int depth)
        {
            for (int i = 0; i < count; i++)
            {
                Comments(indent);
                if (i > 0 || indent >= 0)
                    _sb.Append(' ', indent);
                Key(i);
                Value(indent, depth);
            }
        }

        private void Key(int i)
        {
            switch (random.Next(8))
            {
                case 0:
                    _sb.Append("\"quoted ").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\":");
                    break;
                case 1:
                    _sb.Append("'single ").Append(i.ToString(CultureInfo.InvariantCulture)).Append("':");
                    break;
                default:
                    _sb.Append("key_").Append(i.ToString(CultureInfo.InvariantCulture)).Append(':');
                    break;
            }
        }

        private void Value(int indent, int depth)
        {
            int kind = depth <= 0 ? 0 : random.Next(4);
            switch (kind)
            {
                case 1:
                    _sb.Append('\n');
                    Mapping(indent + _step, random.Next(1, 4), depth - 1);
                    break;
                case 2:
                    _sb.Append('\n');
                    Sequence(_indentless ? indent : indent + _step, depth - 1);
                    break;
                default:
                    Scalar(indent);
                    break;
            }
        }

        private void Scalar(int indent)
        {
            var s = random.Next(40) == 0 ? Refused[random.Next(Refused.Length)] : Scalars[random.Next(Scalars.Length)];
            _sb.Append(' ').Append(s);
            if (s.StartsWith('|') || s.StartsWith('>'))
            {
                _sb.Append('\n');
                int lines = random.Next(1, 4);
                int extra = random.Next(1, 3);
                for (int l = 0; l < lines; l++)
                {
                    if (l > 0 && random.Next(4) == 0)
                        _sb.Append('\n');
                    _sb.Append(' ', indent + _step * extra).Append(random.Next(3) == 0 ? "  deeper" : "text line").Append('\n');
                }
                return;
            }
            _sb.Append('\n');
            if (random.Next(60) == 0)
                _sb.Append(' ', indent + _step).Append("continued\n");
        }

        private void Sequence(int indent, int depth)
        {
            int count = random.Next(1, 4);
            for (int i = 0; i < count; i++)
            {
                Comments(indent);
                _sb.Append(' ', indent).Append('-');
                if (depth > 0 && random.Next(3) == 0)
                {
                    _sb.Append(' ');
                    Key(0);
                    Value(indent + 2, depth - 1);
                    if (random.Next(2) == 0)
                    {
                        _sb.Append(' ', indent + 2);
                        Key(1);
                        Value(indent + 2, depth - 1);
                    }
                }
                else
                {
                    Scalar(indent);
                }
            }
        }
    }
}
