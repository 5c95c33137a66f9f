using Keyward.Manifests;
using Keyward.Manifests.Yaml;
using static Keyward.Audit.Rules.RuleHelpers;

namespace Keyward.Audit.Rules.Hardening;

/// <summary>Containers that may run as root.</summary>
public sealed class RunAsNonRootRule : ContainerCheck
{
    public override string Id => "KW401";
    public override string Name => "run-as-non-root";
    public override string Title => "Container may run as root";
    public override Severity Severity => Severity.Medium;
    public override string Why => "A process running as UID 0 is root on the node's filesystem it can reach and one kernel bug away from root on the node.";
    public override string Fix => "Set securityContext.runAsNonRoot: true and a non-zero runAsUser (pod or container level), and build the image with a non-root USER.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("no securityContext", Pod(""), true),
        new("explicit UID 0", Pod("      securityContext:\n        runAsUser: 0\n"), true),
        new("pod-level runAsNonRoot", Pod("", "  securityContext:\n    runAsNonRoot: true\n"), false),
        new("a non-zero UID", Pod("      securityContext:\n        runAsUser: 10001\n"), false),
        new("non-root user in the root group", Pod("      securityContext:\n        runAsNonRoot: true\n        runAsGroup: 0\n"), true),
    ];

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        var (groupNode, group, groupPath) = SecurityField(container, "runAsGroup");
        if (group == "0")
            sink.Report(container.Pod.Document, groupNode, groupPath, $"{Describe(container)} runs with GID 0 (the root group)");
        var (userNode, user, userPath) = SecurityField(container, "runAsUser");
        if (user == "0")
        {
            sink.Report(container.Pod.Document, userNode, userPath, $"{Describe(container)} runs as UID 0 (root)");
            return;
        }
        if (long.TryParse(user, out var uid) && uid > 0)
            return;
        var (node, _, path) = SecurityField(container, "runAsNonRoot");
        if (!IsTrue(node))
            sink.Report(container.Pod.Document, node ?? container.Container, path, $"{Describe(container)} does not set runAsNonRoot: true");
    }
}

/// <summary>allowPrivilegeEscalation not set to false.</summary>
public sealed class PrivilegeEscalationRule : ContainerCheck
{
    public override string Id => "KW402";
    public override string Name => "allow-privilege-escalation";
    public override string Title => "Privilege escalation allowed";
    public override Severity Severity => Severity.Medium;
    public override string Why => "Unless allowPrivilegeEscalation is false, setuid binaries and file capabilities can give a process more privileges than its parent (no_new_privs is off).";
    public override string Fix => "Set securityContext.allowPrivilegeEscalation: false on every container.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("not set", Pod(""), true),
        new("set to true", Pod("      securityContext:\n        allowPrivilegeEscalation: true\n"), true),
        new("set to false", Pod("      securityContext:\n        allowPrivilegeEscalation: false\n"), false),
        new("set to no (YAML 1.1's false, as kubectl reads it)", Pod("      securityContext:\n        allowPrivilegeEscalation: no\n"), false),
        new("a Windows pod (the field is Linux-only)", Pod("", "  os:\n    name: windows\n"), false),
    ];

    protected override bool AppliesToWindows => false;

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        var (node, _, path) = SecurityField(container, "allowPrivilegeEscalation", podLevel: false);
        if (!IsFalse(node))
            sink.Report(container.Pod.Document, node ?? container.Container, path, $"{Describe(container)} does not set allowPrivilegeEscalation: false");
    }
}

/// <summary>Writable root filesystem.</summary>
public sealed class ReadOnlyRootFilesystemRule : ContainerCheck
{
    public override string Id => "KW403";
    public override string Name => "read-only-root-filesystem";
    public override string Title => "Root filesystem is writable";
    public override Severity Severity => Severity.Low;
    public override string Why => "A writable root filesystem lets an attacker drop tools and modify binaries inside the container, and hides state that should live in volumes.";
    public override string Fix => "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the application writes.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("not set", Pod(""), true),
        new("read-only", Pod("      securityContext:\n        readOnlyRootFilesystem: true\n"), false),
        new("a Windows pod (the field is Linux-only)", Pod("", "  os:\n    name: windows\n"), false),
    ];

    protected override bool AppliesToWindows => false;

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        var (node, _, path) = SecurityField(container, "readOnlyRootFilesystem", podLevel: false);
        if (!IsTrue(node))
            sink.Report(container.Pod.Document, node ?? container.Container, path, $"{Describe(container)} has a writable root filesystem");
    }
}

/// <summary>Privileged containers.</summary>
public sealed class PrivilegedContainerRule : ContainerCheck
{
    public override string Id => "KW404";
    public override string Name => "privileged-container";
    public override string Title => "Privileged container";
    public override Severity Severity => Severity.Critical;
    public override string Why => "A privileged container (or one with CAP_SYS_ADMIN or ALL capabilities) can mount, load modules and reach host devices: it is root on the node.";
    public override string Fix => "Remove privileged: true and add only the specific capabilities the container needs.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("privileged", Pod("      securityContext:\n        privileged: true\n"), true),
        new("privileged: yes (YAML 1.1's true, as kubectl reads it)", Pod("      securityContext:\n        privileged: yes\n"), true),
        new("SYS_ADMIN added (privileged in all but name)", Pod("      securityContext:\n        capabilities:\n          add: [SYS_ADMIN]\n"), true),
        new("not privileged", Pod("      securityContext:\n        privileged: false\n"), false),
        new("a quoted \"yes\" is text, which kubectl refuses for a bool", Pod("      securityContext:\n        privileged: \"yes\"\n"), false),
    ];

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        var (node, _, path) = SecurityField(container, "privileged", podLevel: false);
        if (IsTrue(node))
            sink.Report(container.Pod.Document, node, path, $"{Describe(container)} is privileged");
        var add = container.Container.Mapping("securityContext")?.Mapping("capabilities");
        if (add?.Strings("add").FirstOrDefault(c => c.Equals("SYS_ADMIN", StringComparison.OrdinalIgnoreCase) || c.Equals("CAP_SYS_ADMIN", StringComparison.OrdinalIgnoreCase) || c.Equals("ALL", StringComparison.OrdinalIgnoreCase)) is { } cap)
            sink.Report(container.Pod.Document, add.Child("add"), $"{container.Path}.securityContext.capabilities.add", $"{Describe(container)} adds {cap}, which makes it privileged in all but name");
    }
}

/// <summary>Capabilities added, or the default set not dropped.</summary>
public sealed class CapabilitiesRule : ContainerCheck
{
    private static readonly HashSet<string> Harmless = new(StringComparer.OrdinalIgnoreCase) { "NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE" };

    public override string Id => "KW405";
    public override string Name => "capabilities";
    public override string Title => "Capabilities added or not dropped";
    public override Severity Severity => Severity.Medium;
    public override string Why => "The default capability set includes NET_RAW (spoofing) and others an application rarely needs; added ones such as SYS_ADMIN or NET_ADMIN are close to root on the node.";
    public override string Fix => "Set securityContext.capabilities.drop: [ALL] and add back only what is needed (usually nothing, or NET_BIND_SERVICE).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("nothing dropped", Pod(""), true),
        new("SYS_ADMIN added", Pod("      securityContext:\n        capabilities:\n          drop: [ALL]\n          add: [SYS_ADMIN]\n"), true),
        new("all dropped, bind added back", Pod("      securityContext:\n        capabilities:\n          drop: [\"ALL\"]\n          add: [\"NET_BIND_SERVICE\"]\n"), false),
        new("a Windows pod (the field is Linux-only)", Pod("", "  os:\n    name: windows\n"), false),
    ];

    protected override bool AppliesToWindows => false;

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        var caps = container.Container.Mapping("securityContext")?.Mapping("capabilities");
        var path = $"{container.Path}.securityContext.capabilities";
        var added = caps?.Strings("add").Where(c => !Harmless.Contains(c)).ToList() ?? [];
        if (added.Count > 0)
            sink.Report(container.Pod.Document, caps!.Child("add"), path + ".add", $"{Describe(container)} adds capabilities {string.Join(", ", added)}", Severity.High);
        var dropped = caps?.Strings("drop") ?? [];
        if (!dropped.Any(d => d.Equals("ALL", StringComparison.OrdinalIgnoreCase)))
            sink.Report(container.Pod.Document, caps?.Child("drop") ?? (YamlValue?)caps ?? container.Container, path + ".drop", $"{Describe(container)} does not drop ALL capabilities");
    }
}

/// <summary>No seccomp profile (or Unconfined).</summary>
public sealed class SeccompRule : ContainerCheck
{
    public override string Id => "KW406";
    public override string Name => "seccomp-profile";
    public override string Title => "No seccomp profile";
    public override Severity Severity => Severity.Low;
    public override string Why => "Without a seccomp profile every system call is allowed, including the rarely used ones most kernel exploits go through.";
    public override string Fix => "Set securityContext.seccompProfile.type: RuntimeDefault at pod level (or Localhost with a custom profile).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("not set", Pod(""), true),
        new("Unconfined", Pod("      securityContext:\n        seccompProfile:\n          type: Unconfined\n"), true),
        new("RuntimeDefault at pod level", Pod("", "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n"), false),
        new("a Windows pod (the field is Linux-only)", Pod("", "  os:\n    name: windows\n"), false),
    ];

    protected override bool AppliesToWindows => false;

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        var own = container.Container.Mapping("securityContext")?.Mapping("seccompProfile");
        var pod = container.Pod.Spec.Mapping("securityContext")?.Mapping("seccompProfile");
        var profile = own ?? pod;
        var type = profile?.Scalar("type");
        if (type is "RuntimeDefault" or "Localhost")
            return;
        var path = own is not null ? $"{container.Path}.securityContext.seccompProfile.type" : $"{container.Pod.Path}.securityContext.seccompProfile.type";
        sink.Report(container.Pod.Document, profile?.Child("type") ?? container.Container, path,
            type is null ? $"{Describe(container)} has no seccomp profile" : $"{Describe(container)} runs with seccomp profile {type}");
    }
}
