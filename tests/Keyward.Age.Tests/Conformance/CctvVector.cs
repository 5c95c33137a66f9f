using System.IO.Compression;
using System.Text;

namespace Keyward.Age.Tests.Conformance;

/// <summary>One age CCTV vector: metadata lines, an empty line, then the (maybe zlib-compressed) age file.</summary>
public sealed class CctvVector
{
    private static readonly HashSet<string> KnownKeys = ["expect", "payload", "file key", "identity", "passphrase", "armored", "compressed", "comment"];

    public required string Name { get; init; }
    public required string Expect { get; init; }
    public string? PayloadSha256 { get; init; }
    public required byte[] FileKey { get; init; }
    public required IReadOnlyList<string> Identities { get; init; }
    public required IReadOnlyList<string> Passphrases { get; init; }
    public bool Armored { get; init; }
    public required byte[] Contents { get; init; }
    public bool HasUnknownKey { get; init; }

    public bool NeedsPostQuantum => Identities.Any(i => i.StartsWith("AGE-SECRET-KEY-PQ-", StringComparison.Ordinal));

    public override string ToString() => Name;

    public static string Directory => Keyward.Testing.SharedMaterial.Path("conformance", "age-cctv", "vectors");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static CctvVector Load(string name)
    {
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Directory, name));
        int split = bytes.AsSpan().IndexOf("\n\n"u8);
        var meta = Encoding.UTF8.GetString(bytes, 0, split).Split('\n');
        var body = bytes.AsSpan(split + 2).ToArray();
        var values = new List<(string Key, string Value)>();
        foreach (var line in meta)
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            values.Add((line[..colon], line[(colon + 2)..]));
        }
        string? One(string key) => values.Where(v => v.Key == key).Select(v => v.Value).SingleOrDefault();
        if (One("compressed") == "zlib")
        {
            using var z = new ZLibStream(new MemoryStream(body), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            z.CopyTo(ms);
            body = ms.ToArray();
        }
        return new CctvVector
        {
            Name = name,
            Expect = One("expect")!,
            PayloadSha256 = One("payload"),
            FileKey = Convert.FromHexString(One("file key")!),
            Identities = values.Where(v => v.Key == "identity").Select(v => v.Value).ToList(),
            Passphrases = values.Where(v => v.Key == "passphrase").Select(v => v.Value).ToList(),
            Armored = One("armored") == "yes",
            Contents = body,
            HasUnknownKey = values.Any(v => !KnownKeys.Contains(v.Key)),
        };
    }
}
