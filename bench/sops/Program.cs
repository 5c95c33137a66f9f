using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Keyward.Age.Recipients;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;

// 10,000-value YAML: encrypt and decrypt in one process (parse + crypto + emit), median of 15 runs after 5 warm-up
// runs (the JIT tiers methods up in the background during the first ones; the first run is printed as the cold figure).
// Then 1,000 small Kubernetes Secrets written to a folder, decrypted in one process (read, parse, unwrap, decrypt, emit).
using var identity = X25519Identity.Generate();
var recipient = identity.Recipient.ToString();
var ids = new IdentitySet();
ids.Add([identity], "bench");
var yaml = new StringBuilder();
for (int g = 0; g < 100; g++)
{
    yaml.Append(CultureInfo.InvariantCulture, $"group{g}:\n");
    for (int v = 0; v < 100; v++)
        yaml.Append(CultureInfo.InvariantCulture, $"  key{v}: value-{g}-{v}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}\n");
}
var plain = Encoding.UTF8.GetBytes(yaml.ToString());
var store = new YamlStore();
byte[] encrypted = [];
var encTimes = new List<double>();
var decTimes = new List<double>();
const int WarmUp = 5;
double coldEnc = 0, coldDec = 0;
for (int run = 0; run < WarmUp + 15; run++)
{
    var sw = Stopwatch.StartNew();
    var file = store.Read(plain, "bench.yaml", encrypted: false);
    SopsEngine.Encrypt(file, new EncryptionSettings { AgeKeyGroups = [[recipient]] });
    encrypted = store.Write(file);
    sw.Stop();
    if (run >= WarmUp)
        encTimes.Add(sw.Elapsed.TotalSeconds);
    else if (run == 0)
        coldEnc = sw.Elapsed.TotalSeconds;
    sw.Restart();
    var back = store.Read(encrypted, "bench.yaml", encrypted: true);
    CryptographicOperations.ZeroMemory(SopsEngine.Decrypt(back, ids));
    back.Metadata = null;
    var output = store.Write(back);
    sw.Stop();
    if (run >= WarmUp)
        decTimes.Add(sw.Elapsed.TotalSeconds);
    else if (run == 0)
        coldDec = sw.Elapsed.TotalSeconds;
    if (!output.AsSpan().SequenceEqual(plain))
        throw new InvalidOperationException("round trip changed the document");
}
static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
Console.WriteLine($"10,000 values: encrypt median {Median(encTimes) * 1000:F1} ms = {10000 / Median(encTimes):F0} values/s; decrypt median {Median(decTimes) * 1000:F1} ms = {10000 / Median(decTimes):F0} values/s (first, cold run: encrypt {coldEnc * 1000:F1} ms, decrypt {coldDec * 1000:F1} ms)");

var dir = Directory.CreateTempSubdirectory("keyward-bench-secrets").FullName;
try
{
    for (int i = 0; i < 1000; i++)
    {
        var f = store.Read(Encoding.UTF8.GetBytes($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s{i}\nstringData:\n  user: u{i}\n  password: p{i}\n"), "s.yaml", encrypted: false);
        SopsEngine.Encrypt(f, new EncryptionSettings { AgeKeyGroups = [[recipient]], Rule = Keyward.Sops.Metadata.CryptRule.KubernetesSecret });
        File.WriteAllBytes(Path.Combine(dir, $"s{i}.yaml"), store.Write(f));
    }
    File.WriteAllText(Path.Combine(dir, "..", "keyward-bench-key.txt"), identity.ExportSecretKey() + "\n");
    var watch = Stopwatch.StartNew();
    long bytes = 0;
    foreach (var path in Directory.EnumerateFiles(dir))
    {
        var f = store.Read(File.ReadAllBytes(path), path, encrypted: true);
        CryptographicOperations.ZeroMemory(SopsEngine.Decrypt(f, ids));
        f.Metadata = null;
        bytes += store.Write(f).Length;
    }
    watch.Stop();
    Console.WriteLine($"1,000 Secrets decrypted in one process: {watch.Elapsed.TotalSeconds:F2} s ({bytes} plaintext bytes); folder kept for the CLI timing: {dir}");
}
finally
{
    if (args.Contains("--clean"))
        Directory.Delete(dir, recursive: true);
}
