namespace Keyward.Core;

/// <summary>
/// How far YAML aliases may expand, for both readers that copy an anchor's node at each alias: the manifest reader
/// (Keyward.Manifests) and the SOPS YAML store (Keyward.Sops), which do not reference each other. Without a bound a
/// kilobyte of nested aliases (a "billion laughs") expands to billions of nodes; with one bound, a document one
/// reader refuses the other refuses too.
/// </summary>
public static class YamlAliasBudget
{
    /// <summary>Nodes a stream may expand to through aliases, beyond its own size in characters.</summary>
    public const long Allowance = 1_000_000;

    /// <summary>What the readers say at the alias that passes the bound.</summary>
    public const string Exceeded = "aliases expand to too many nodes (a \"billion laughs\" document?)";

    /// <summary>The nodes a stream of <paramref name="textLength"/> characters may expand to in all.</summary>
    public static long For(int textLength) => textLength + Allowance;
}
