using System.Diagnostics;
using Keyward.Age.Recipients;
using Keyward.Age.Tests.Conformance;

namespace Keyward.Age.Tests.Robustness;

/// <summary>
/// Bounded mutation testing over valid files and the CCTV vectors: every mutated input gives a result or a typed
/// <see cref="AgeException"/>, never another exception or a hang. Seeded, so a failure is reproducible.
/// </summary>
public class MutationTests
{
    private const int MutantsPerSeed = 150;

    public static TheoryData<string> Seeds()
    {
        var data = new TheoryData<string> { "generated-x25519", "generated-armor", "generated-multi" };
        foreach (var name in CctvVectorTests.ClassicVectors())
        {
            if (name.StartsWith("stream_", StringComparison.Ordinal) && CctvVector.Load(name).Contents.Length > 300_000)
                continue;
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Mutants_fail_cleanly(string seedName)
    {
        var (input, identities) = Load(seedName);
        var random = new Random(seedName.GetHashCode(StringComparison.Ordinal) ^ 0x5eed);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < MutantsPerSeed; i++)
        {
            var mutant = Mutate(input, random);
            var run = Task.Run(() =>
            {
                try
                {
                    AgeDecryptor.Decrypt(new MemoryStream(mutant), Stream.Null, identities);
                }
                catch (AgeException)
                {
                }
            });
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));
            Assert.True(finished == run, $"{seedName} mutant {i} hung");
            await run;
        }
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "mutation run too slow: " + clock.Elapsed);
    }

    private static (byte[] Input, List<IAgeIdentity> Identities) Load(string seedName)
    {
        var identity = X25519Identity.Parse("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0");
        var other = X25519Identity.Generate();
        var plaintext = new byte[150_000];
        new Random(1).NextBytes(plaintext);
        switch (seedName)
        {
            case "generated-x25519":
                return (AgeEncryptor.Encrypt(plaintext, [identity.Recipient]), [identity]);
            case "generated-armor":
                return (AgeEncryptor.Encrypt(plaintext.AsSpan(0, 5000), [identity.Recipient], new AgeEncryptOptions { Armor = true }), [identity]);
            case "generated-multi":
                return (AgeEncryptor.Encrypt(plaintext.AsSpan(0, 70_000), [other.Recipient, identity.Recipient]), [other, identity]);
        }
        var v = CctvVector.Load(seedName);
        var ids = new List<IAgeIdentity>();
        ids.AddRange(v.Identities.Select(X25519Identity.Parse));
        // A low cap keeps mutated work factors cheap; the cap itself is tested by the vectors.
        ids.AddRange(v.Passphrases.Select(p => new ScryptIdentity(p, maxWorkFactor: 16)));
        if (ids.Count == 0)
            ids.Add(identity);
        return (v.Contents, ids);
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var data = new List<byte>(input);
        int operations = 1 + random.Next(3);
        for (int op = 0; op < operations; op++)
        {
            int pos = data.Count == 0 ? 0 : random.Next(data.Count);
            // Mutations concentrate on the header, where the parser's branches are.
            if (random.Next(2) == 0 && data.Count > 0)
                pos = random.Next(Math.Min(data.Count, 400));
            switch (random.Next(8))
            {
                case 0 when data.Count > 0: data[pos] ^= (byte)(1 << random.Next(8)); break;
                case 1 when data.Count > 0: data[pos] = (byte)random.Next(256); break;
                case 2: data.Insert(pos, (byte)"\n -=>\r"[random.Next(6)]); break;
                case 3 when data.Count > 0: data.RemoveAt(pos); break;
                case 4 when data.Count > 0: data.RemoveRange(pos, data.Count - pos); break;
                case 5 when data.Count > 10: data.InsertRange(pos, data.GetRange(random.Next(data.Count - 10), 10)); break;
                case 6: data.InsertRange(pos, new byte[random.Next(1, 70)]); break;
                default: data.Add((byte)random.Next(256)); break;
            }
        }
        return [.. data];
    }
}
