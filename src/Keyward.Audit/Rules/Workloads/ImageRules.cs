using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Hardening;

/// <summary>Splits image references: registry/repository[:tag][@digest].</summary>
internal static partial class ImageReference
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DigestGrammar();

    private static readonly Dictionary<string, int> RegisteredLengths = new(StringComparer.Ordinal) { ["sha256"] = 64, ["sha384"] = 96, ["sha512"] = 128, ["blake3"] = 64 };

    /// <summary>An OCI digest (image-spec descriptor grammar); registered algorithms need their full lowercase hex length.</summary>
    public static bool IsValidDigest(string digest)
    {
        if (!DigestGrammar().IsMatch(digest))
            return false;
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var (algorithm, hex) = (digest[..colon], digest[(colon + 1)..]);
        return !RegisteredLengths.TryGetValue(algorithm, out var length) || (hex.Length == length && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'));
    }

    public static (string? Tag, string? Digest) Parse(string image)
    {
        string? digest = null;
        int at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }
        int slash = image.LastIndexOf('/');
        int colon = image.LastIndexOf(':');
        return (colon > slash ? image[(colon + 1)..] : null, digest);
    }
}

/// <summary>Images on latest or without a tag.</summary>
public sealed class MutableImageTagRule : ContainerCheck
{
    public override string Id => "KW601";
    public override string Name => "image-latest-tag";
    public override string Title => "Image on latest or without a tag";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Images;
    public override string Why => "latest (or no tag, which means latest) changes under you: a pod restart can run different code than was reviewed, and a compromised registry account can push to it.";
    public override string Fix => "Use an explicit version tag, better a digest (image@sha256:...), and let a bot (Renovate, Flux image automation) bump it.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("latest", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n", true),
        new("no tag", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: registry.example.com:5000/shop\n", true),
        new("a version tag", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.2\n", false),
    ];

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        if (container.Container.Child("image") is not YamlScalar { Value: { Length: > 0 } image } node)
            return;
        var (tag, digest) = ImageReference.Parse(image);
        if (digest is not null)
            return;
        if (tag is null or "latest")
            sink.Report(container.Pod.Document, node, $"{container.Path}.image", $"{RuleHelpers.Describe(container)} uses {(tag is null ? "an untagged image" : "the latest tag")} ({image})");
    }
}

/// <summary>Images not pinned by digest.</summary>
public sealed class ImageDigestRule : ContainerCheck
{
    public override string Id => "KW602";
    public override string Name => "image-not-pinned";
    public override string Title => "Image not pinned by digest";
    public override Severity Severity => Severity.Low;
    public override Category Category => Category.Images;
    public override string Why => "Tags are mutable: whoever can push to the repository can change what a version tag points to; a digest names exactly the reviewed image.";
    public override string Fix => "Reference images by digest (repository:tag@sha256:...).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a tag only", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.2\n", true),
        new("a truncated digest", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: nginx@sha256:4f6c0a9d2b1e\n", true),
        new("a digest", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.2@sha256:4f6c0a9d2b1e8f7a6c5d4e3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39\n", false),
    ];

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        if (container.Container.Child("image") is not YamlScalar { Value: { Length: > 0 } image } node)
            return;
        var digest = ImageReference.Parse(image).Digest;
        if (digest is null)
            sink.Report(container.Pod.Document, node, $"{container.Path}.image", $"{RuleHelpers.Describe(container)} image {image} is not pinned by digest");
        else if (!ImageReference.IsValidDigest(digest))
            sink.Report(container.Pod.Document, node, $"{container.Path}.image", $"{RuleHelpers.Describe(container)} image {image} has a malformed digest (registries reject it, or it pins nothing)");
    }
}
