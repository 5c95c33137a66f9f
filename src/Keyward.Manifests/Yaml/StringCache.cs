using System.Runtime.CompilerServices;

namespace Keyward.Manifests.Yaml;

/// <summary>
/// Gives the same string instance for the same characters, most of the time: a manifest repeats its keys and short
/// values ("name", "apiVersion", "v1", "true") thousands of times, and one instance each saves the allocations.
/// </summary>
/// <remarks>
/// Direct-mapped: each hash slot holds the last string seen there, and a collision just replaces it. Lookups are
/// O(length) whatever the input, so text crafted to collide costs nothing more than ordinary text, unlike a hash
/// table with chains. One cache per thread, kept from file to file (the parse-ahead thread reads many files).
/// </remarks>
internal sealed class StringCache
{
    private const int Slots = 4096; // a power of two; covers the key vocabulary of Kubernetes with room to spare

    [ThreadStatic]
    private static StringCache? _current;

    private readonly string?[] _slots = new string?[Slots];

    public static StringCache Current => _current ??= new StringCache();

    public string Get(ReadOnlySpan<char> chars)
    {
        ref var slot = ref _slots[Hash(chars) & (Slots - 1)];
        if (slot is { } found && chars.SequenceEqual(found))
            return found;
        var created = chars.ToString();
        slot = created;
        return created;
    }

    /// <summary>FNV-1a over the characters (wrapping, as it is defined): cheap on short keys, and only a slot index depends on it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<char> chars)
    {
        uint hash = 2166136261;
        foreach (char c in chars)
            hash = unchecked((hash ^ c) * 16777619);
        return hash ^ hash >> 15;
    }
}
