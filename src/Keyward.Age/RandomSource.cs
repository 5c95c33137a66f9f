using System.Security.Cryptography;

namespace Keyward.Age;

/// <summary>Fills a buffer with random bytes. Injected so tests can be deterministic; the default is the OS CSPRNG.</summary>
public delegate void RandomSource(Span<byte> destination);

internal static class Randomness
{
    public static readonly RandomSource System = RandomNumberGenerator.Fill;

    public static RandomSource OrDefault(this RandomSource? source) => source ?? System;
}
