using Keyward.Core;

namespace Keyward.Cli.Commands.Sops;

/// <summary>
/// The SOPS commands take their files as arguments, so System.CommandLine hands a flag it does not know (sops's
/// <c>--pgp</c>, age's <c>-r</c>) to the command as a file name. A file name that starts with "-" and does not exist
/// is such a flag: it is reported as one, with what to use instead, rather than as a missing file.
/// </summary>
internal static class UnknownSopsFlag
{
    /// <summary>sops's flags for other key types (and their short forms): keyward encrypts to age only.</summary>
    private static readonly HashSet<string> OtherKeyTypes = new(StringComparer.Ordinal)
    {
        "--pgp", "-p", "--kms", "-k", "--gcp-kms", "--azure-kv", "--hc-vault-transit", "--aws-profile",
        "--add-pgp", "--rm-pgp", "--add-kms", "--rm-kms", "--add-gcp-kms", "--rm-gcp-kms",
        "--add-azure-kv", "--rm-azure-kv", "--add-hc-vault-transit", "--rm-hc-vault-transit",
    };

    /// <summary>Throws the unknown-flag error when <paramref name="argument"/>, given as a file, is a flag instead.</summary>
    public static void RefuseAsFile(string command, string argument)
    {
        if (Flag(argument) is { } flag && !File.Exists(argument) && !Directory.Exists(argument))
            throw new KeywardException($"unknown flag \"{flag}\"", Hint(command, flag), FailureKind.Usage);
    }

    /// <summary>The flag part of an argument that looks like one (<c>--indent=2</c> is --indent), else null; "-" is stdin, not a flag.</summary>
    public static string? Flag(string argument) =>
        argument.Length > 1 && argument[0] == '-' ? argument.Split('=', 2)[0] : null;

    /// <summary>What to use instead of a flag keyward's <paramref name="command"/> does not take.</summary>
    public static string Hint(string command, string flag) => flag switch
    {
        "-o" => $"keyward {command} has no -o or --output; run \"keyward {command} --help\" for where it writes",
        _ => Instead(flag) ?? $"run \"keyward {command} --help\" for its flags; to name a file that starts with \"-\", write ./{flag}",
    };

    /// <summary>What keyward has instead of one of sops's own flags, whatever the command; null for any other flag.</summary>
    public static string? Instead(string flag) => flag switch
    {
        "-r" or "--recipient" => "for an age recipient use --age age1... (in keyward encrypt), or put it in .sops.yaml",
        "--indent" => "set the indent in .sops.yaml (stores: yaml: indent: N, or json: indent: N); keyward otherwise keeps the input's",
        "--set" => "keyward set FILE PATH VALUE sets one value (sops --set's '[\"a\"] \"b\"' is PATH and VALUE there; --value-stdin keeps the value off the command line)",
        "--unset" => "keyward unset FILE PATH removes one value",
        "-s" or "--show-master-keys" => "keyward does not print the master keys; the file's recipients are in its sops: section, and keyward git-diff FILE lists them",
        _ when OtherKeyTypes.Contains(flag) => "keyward supports age keys only: give age recipients with --age or in .sops.yaml, and use sops for other key types",
        _ => null,
    };
}
