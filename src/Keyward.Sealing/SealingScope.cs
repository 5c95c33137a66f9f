using System.Text;
using Keyward.Core;

namespace Keyward.Sealing;

/// <summary>
/// Which SealedSecret a sealed value may be unsealed into. The scope picks the RSA-OAEP label, so a value sealed
/// for one namespace and name does not open under another (bitnami-labs/sealed-secrets EncryptionLabel).
/// </summary>
public enum SealingScope
{
    /// <summary>Label <c>namespace/name</c>: the value opens only in a SealedSecret of that name in that namespace.</summary>
    Strict,

    /// <summary>Label <c>namespace</c>: the SealedSecret may be renamed within its namespace.</summary>
    NamespaceWide,

    /// <summary>Empty label: any name in any namespace.</summary>
    ClusterWide,
}

/// <summary>Labels, names and annotations of the scopes, as the controller reads them.</summary>
public static class SealingScopes
{
    public const string NamespaceWideAnnotation = "sealedsecrets.bitnami.com/namespace-wide";
    public const string ClusterWideAnnotation = "sealedsecrets.bitnami.com/cluster-wide";

    public static string Name(SealingScope scope) => scope switch
    {
        SealingScope.Strict => "strict",
        SealingScope.NamespaceWide => "namespace-wide",
        SealingScope.ClusterWide => "cluster-wide",
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    public static SealingScope Parse(string text) => text switch
    {
        "strict" => SealingScope.Strict,
        "namespace-wide" => SealingScope.NamespaceWide,
        "cluster-wide" => SealingScope.ClusterWide,
        _ => throw new KeywardException($"unknown scope \"{text}\"", "use strict, namespace-wide or cluster-wide", FailureKind.Usage),
    };

    /// <summary>
    /// The scope the controller derives from annotations: cluster-wide wins over namespace-wide; anything but the
    /// exact value "true" leaves the scope strict.
    /// </summary>
    public static SealingScope FromAnnotations(IEnumerable<KeyValuePair<string, string>> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        bool cluster = false, ns = false;
        foreach (var (key, value) in annotations)
        {
            if (key == ClusterWideAnnotation && value == "true")
                cluster = true;
            else if (key == NamespaceWideAnnotation && value == "true")
                ns = true;
        }
        return cluster ? SealingScope.ClusterWide : ns ? SealingScope.NamespaceWide : SealingScope.Strict;
    }

    /// <summary>The annotation that marks a non-strict scope, or null for strict.</summary>
    public static string? Annotation(SealingScope scope) => scope switch
    {
        SealingScope.NamespaceWide => NamespaceWideAnnotation,
        SealingScope.ClusterWide => ClusterWideAnnotation,
        _ => null,
    };

    public static bool IsScopeAnnotation(string key) => key is NamespaceWideAnnotation or ClusterWideAnnotation;

    /// <summary>The OAEP label: <c>namespace/name</c>, <c>namespace</c> or empty.</summary>
    public static byte[] Label(SealingScope scope, string? @namespace, string? name) => scope switch
    {
        SealingScope.Strict => Encoding.UTF8.GetBytes($"{@namespace}/{name}"),
        SealingScope.NamespaceWide => Encoding.UTF8.GetBytes(@namespace ?? ""),
        SealingScope.ClusterWide => [],
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    /// <summary>
    /// Throws unless the scope has what its label needs: namespace and name for strict, a namespace for namespace-wide.
    /// <paramref name="setNamespace"/> says how to give a namespace where the value comes from (metadata or --namespace).
    /// </summary>
    public static void RequireTarget(SealingScope scope, string? @namespace, string? name, string where, string setNamespace)
    {
        if (scope != SealingScope.ClusterWide && string.IsNullOrEmpty(@namespace))
            throw new KeywardException($"{where}: {Name(scope)} scope needs a namespace, and there is none",
                $"{setNamespace}, or seal with --scope cluster-wide", FailureKind.Usage);
        // Only --raw gets here without a name (a Secret without one is refused first): the value is not an object.
        if (scope == SealingScope.Strict && string.IsNullOrEmpty(name))
            throw new KeywardException($"{where}: strict scope needs a name, and there is none",
                "pass --name, or seal with --scope namespace-wide or cluster-wide", FailureKind.Usage);
    }
}
