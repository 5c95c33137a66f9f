using System.Security.Cryptography;

namespace Keyward.Age;

/// <summary>Fills a buffer with random bytes. Injected so tests can be deterministic; the default is the OS CSPRNG.</summary>
public delegate void RandomSource(Span<byte> destination);

/// <summary>The default source, and a helper for optional injected sources.</summary>
public static class Randomness
{
    public static readonly RandomSource System = RandomNumberGenerator.Fill;

    /// <summary>The given source, or the OS CSPRNG when none was injected.</summary>
    public static RandomSource OrDefault(this RandomSource? source) => source ?? System;
}
