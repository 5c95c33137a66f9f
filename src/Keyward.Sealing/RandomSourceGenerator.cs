using Keyward.Age;
using Org.BouncyCastle.Crypto.Prng;

namespace Keyward.Sealing;

/// <summary>Lets BouncyCastle draw its OAEP seeds from the injected <see cref="RandomSource"/>.</summary>
internal sealed class RandomSourceGenerator(RandomSource source) : IRandomGenerator
{
    public void AddSeedMaterial(byte[] seed)
    {
        // The source is a CSPRNG or a deterministic test source; neither takes extra seed material.
    }

    public void AddSeedMaterial(long seed)
    {
    }

    public void NextBytes(byte[] bytes) => source(bytes);

    public void NextBytes(byte[] bytes, int start, int len) => source(bytes.AsSpan(start, len));
}
