using System.CommandLine;
using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Sops.Config;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Identities;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Cli.Commands.Sops;

/// <summary>Options shared by the sops-compatible commands, with sops's names.</summary>
internal sealed class SopsOptions
{
    public Option<string[]> Identity { get; } = new("--identity") { Description = "Also try the age identities in FILE (keys, SSH key, or passphrase-encrypted identity file); repeatable", HelpName = "FILE" };
    public Option<string?> Config { get; } = new("--config") { Description = "Use this .sops.yaml instead of searching upwards from the working directory", HelpName = "FILE" };
    public Option<string?> InputType { get; } = new("--input-type") { Description = "yaml, json, dotenv, ini or binary (default: by extension)", HelpName = "TYPE" };
    public Option<string?> OutputType { get; } = new("--output-type") { Description = "yaml, json, dotenv, ini or binary (default: the input type)", HelpName = "TYPE" };
    public Option<bool> InPlace { get; } = new("--in-place", "-i") { Description = "Write the result back to the file (atomically)" };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Write the result to FILE (atomically) instead of stdout", HelpName = "FILE" };
    public Option<bool> IgnoreMac { get; } = new("--ignore-mac") { Description = "Do not check the file's MAC (values still authenticate)" };

    public SopsCli.IoContext Context(ParseResult parse, CliConsole console) => new(
        console, parse.GetValue(Identity) ?? [], parse.GetValue(Config), parse.GetValue(InputType), parse.GetValue(OutputType), parse.GetValue(IgnoreMac))
    {
        Command = parse.CommandResult.Command.Name,
        HasInPlaceFlag = parse.CommandResult.Command.Options.Contains(InPlace),
        InPlaceGiven = parse.CommandResult.Command.Options.Contains(InPlace) && parse.GetValue(InPlace),
    };
}

/// <summary>Reading, writing, keys and rules for the sops commands.</summary>
internal static class SopsCli
{
    /// <summary>A command's inputs; disposing it disposes the identities it loaded (their secret keys zeroed).</summary>
    internal sealed record IoContext(CliConsole Console, string[] IdentityFiles, string? ConfigPath, string? InputType, string? OutputType, bool IgnoreMac) : IDisposable
    {
        private IdentitySet? _identities;

        public void Dispose() => _identities?.Dispose();

        /// <summary>The command's name, for errors that say what one of its flags means.</summary>
        public string Command { get; init; } = "";

        /// <summary>Whether the command has -i (--in-place): a key file after it is then most likely a habit from age.</summary>
        public bool HasInPlaceFlag { get; init; }

        /// <summary>Whether -i (--in-place) was given: with no identity found, the key may be what the user meant it for.</summary>
        public bool InPlaceGiven { get; init; }

        public IdentitySet Identities()
        {
            if (_identities is null)
            {
                var env = IdentityEnvironment.FromProcess(Console.Environment, Console.ReadSecret);
                _identities = SopsIdentities.Load(env, IdentityFiles);
                foreach (var w in _identities.Warnings)
                    Console.Stderr.WriteLine($"keyward: warning: {w}");
            }
            return _identities;
        }

        public StoreKind InputStore(string path) => InputType is { } t ? Stores.Parse(t) : Stores.ForPath(path);

        public StoreKind OutputStore(string path) => OutputType is { } t ? Stores.Parse(t) : InputStore(path);

        private readonly HashSet<string> _configWarnings = [];

        public SopsConfig? LoadConfig(string filePath)
        {
            var warnings = new List<string>();
            var path = ConfigPath ?? Console.Environment("SOPS_CONFIG") ?? SopsConfig.Find(Directory.GetCurrentDirectory(), warnings)
                ?? SopsConfig.Find(Path.GetDirectoryName(Path.GetFullPath(filePath)) ?? ".", warnings);
            // Once per misnamed file, however many files the command handles.
            foreach (var w in warnings)
            {
                if (_configWarnings.Add(w))
                    Console.Stderr.WriteLine($"keyward: warning: {w}");
            }
            return path is null ? null : SopsConfig.Load(path);
        }
    }

    /// <summary>
    /// A private (0700) temporary folder for plaintext, made and registered under the signal handler's lock, so a
    /// SIGTERM or SIGHUP while it exists removes it before the process ends. Dispose the result once it is deleted.
    /// </summary>
    public static IDisposable PrivateFolder(string prefix, out DirectoryInfo folder)
    {
        DirectoryInfo? created = null;
        var registration = TerminationCleanup.Process.Register(() =>
        {
            created = Directory.CreateTempSubdirectory(prefix);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(created.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return created.FullName;
        });
        folder = created!;
        return registration;
    }

    /// <summary>A SOPS file named on the command line: a flag the command does not know, taken as a file, is named as a flag.</summary>
    public static byte[] ReadBytes(IoContext io, string path)
    {
        UnknownSopsFlag.RefuseAsFile(io.Command, path);
        return ReadBytes(path);
    }

    public static byte[] ReadBytes(string path)
    {
        try
        {
            return InputFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"file \"{path}\" does not exist", "check the path", FailureKind.Usage, e);
        }
    }

    /// <summary>Reads a file; one meant to be encrypted that is a key file instead is named as such.</summary>
    public static SopsFile Read(IoContext io, string path, bool encrypted) => Read(io, path, encrypted, ReadBytes(io, path));

    public static SopsFile Read(IoContext io, string path, bool encrypted, byte[] content)
    {
        if (encrypted)
            KeyFileGuard.RefuseAsEncrypted(io, path, content);
        return Stores.For(io.InputStore(path)).Read(content, path, encrypted);
    }

    /// <summary>Reads and decrypts a file; the caller zeroes the returned data key.</summary>
    public static (SopsFile File, byte[] Key) Decrypt(IoContext io, string path, ValueStash? stash = null) => Decrypt(io, path, stash, out _);

    /// <summary>As above, with what decryption noticed besides the warnings it prints (a MAC mismatch let through).</summary>
    public static (SopsFile File, byte[] Key) Decrypt(IoContext io, string path, ValueStash? stash, out DecryptReport report)
    {
        var file = Read(io, path, encrypted: true);
        var identities = io.Identities();
        byte[] key;
        try
        {
            key = SopsEngine.Decrypt(file, identities, new DecryptOptions { IgnoreMac = io.IgnoreMac, Stash = stash }, out report);
        }
        catch (KeywardException e) when (io.InPlaceGiven && identities.Sources.Count == 0 && e.Message.Contains("no identity matched", StringComparison.Ordinal))
        {
            throw KeyFileGuard.WithInPlaceHint(io, e);
        }
        if (report.Warnings.Count > 0)
        {
            // Several files are decrypted at once: one lock keeps each warning on its own line.
            lock (io.Console.Stderr)
            {
                foreach (var w in report.Warnings)
                    io.Console.Stderr.WriteLine($"keyward: warning: {w}");
            }
        }
        return (file, key);
    }

    public static byte[] PlaintextBytes(IoContext io, SopsFile file, string path)
    {
        var output = file.CloneTrees();
        output.Metadata = null;
        return Written(io, output, path);
    }

    /// <summary>The file in the store --output-type names (its own without it): the same tree, so the same MAC, as sops converts.</summary>
    public static byte[] Written(IoContext io, SopsFile file, string path)
    {
        var store = io.OutputStore(path);
        if (file.Store != store)
        {
            file.Store = store;
            file.Layout = new TreeLayout { Indent = store == StoreKind.Json ? 0 : 4 };
        }
        return Stores.For(store).Write(file);
    }

    /// <summary>Writes to stdout, to --output, or in place; in-place and --output are atomic and keep the file's mode.</summary>
    public static void Emit(CliConsole console, string path, byte[] content, bool inPlace, string? output, bool secret)
    {
        var options = secret ? AtomicWriteOptions.Private : new AtomicWriteOptions();
        try
        {
            if (inPlace)
                AtomicFile.WriteAllBytes(path, content, secret ? options : null);
            else if (output is not null and not "-")
                AtomicFile.WriteAllBytes(output, content, options);
            else
            {
                console.Stdout.Write(content);
                console.Stdout.Flush();
            }
        }
        finally
        {
            if (secret)
                CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>--output names one file: with several, each would replace the one before.</summary>
    public static void RequireOneOutput(IReadOnlyList<string> files, bool inPlace, string? output)
    {
        if (output is not null and not "-" && (files.Count > 1 || inPlace))
            throw new KeywardException(files.Count > 1 ? $"--output names one file, and {files.Count} files were given" : "--output and --in-place cannot be combined",
                "use --in-place for several files, or run once per file", FailureKind.Usage);
    }

    /// <summary>
    /// Before the first write of a multi-file run: the errors a write would give (a folder, a missing folder) found
    /// while nothing is written yet.
    /// </summary>
    public static void CheckDestinations(IReadOnlyList<string> files, bool inPlace, string? output, bool secret)
    {
        var options = secret ? AtomicWriteOptions.Private : null;
        if (inPlace)
        {
            foreach (var f in files)
                AtomicFile.CheckDestination(f, options);
        }
        else if (output is not null and not "-")
        {
            AtomicFile.CheckDestination(output, options);
        }
    }

    /// <summary>The files named, plus those under --recursive folders that <paramref name="include"/> accepts.</summary>
    public static List<string> Files(IoContext io, IEnumerable<string> named, IEnumerable<string> recursive, Func<string, bool> include)
    {
        var files = named.ToList();
        // Before any file is read: `decrypt -o out.yaml FILE` names -o, not a missing file "-o".
        foreach (var f in files)
            UnknownSopsFlag.RefuseAsFile(io.Command, f);
        var folders = recursive.ToList();
        // Named nothing at all is a usage error; a --recursive folder with nothing (left) to do is a successful no-op,
        // so scripts and CI can run `encrypt --recursive` every time.
        if (files.Count == 0 && folders.Count == 0)
            throw new KeywardException("no files given", "name the files, or use --recursive DIR", FailureKind.Usage);
        foreach (var dir in folders)
        {
            if (!Directory.Exists(dir))
                throw new KeywardException($"folder \"{dir}\" does not exist", "check the path", FailureKind.Usage);
            files.AddRange(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is ".git")).Order(StringComparer.Ordinal).Where(include));
        }
        return files;
    }

    /// <summary>Cheap check (no parse) whether a file carries sops metadata, as Flux's marker detection does.</summary>
    public static bool LooksEncrypted(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length > 16 << 20)
            return false;
        var text = File.ReadAllText(path);
        return text.Contains("sops:", StringComparison.Ordinal) && text.Contains("mac: ENC[", StringComparison.Ordinal)
            || text.Contains("\"mac\": \"ENC[", StringComparison.Ordinal) || text.Contains("sops_mac=ENC[", StringComparison.Ordinal)
            || text.Contains("[sops]", StringComparison.Ordinal);
    }

    /// <summary>
    /// Recipients per key group: --age replaces the rule's keys completely, as in sops. <paramref name="ageFlags"/> is
    /// every --age given, each a comma list (--age A --age B equals --age A,B); null for a command without --age.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> KeyGroups(IReadOnlyList<string>? ageFlags, SopsConfig? config, string path)
    {
        var flagged = RecipientList(ageFlags);
        if (flagged.Count > 0)
            return [flagged];
        var noAge = ageFlags is null ? "" : "no --age was given and ";
        if (config is null)
            throw new KeywardException($"no age recipients for \"{path}\": {noAge}no .sops.yaml was found (searched upwards from the working directory and from the file's folder)",
                (ageFlags is null ? "" : "pass --age age1..., or ") + "create a .sops.yaml with a creation rule that has age keys", FailureKind.Usage);
        var rule = config.Match(path) ?? throw new KeywardException($"no age recipients for \"{path}\": {noAge}no creation rule in \"{config.Path}\" matches it",
            (ageFlags is null ? "" : "pass --age age1..., or ") + "add a creation rule whose path_regex matches the file", FailureKind.Usage);
        if (rule.ForeignKeyTypes.Count > 0)
            throw new KeywardException($"the creation rule for \"{path}\" names {string.Join(", ", rule.ForeignKeyTypes)} keys, which keyward cannot encrypt to",
                "use sops for those keys, or keep only age keys in the rule", FailureKind.Usage);
        if (rule.AgeKeyGroups.Count == 0)
            throw new KeywardException($"the creation rule for \"{path}\" has no age keys", "add age: age1... to the rule", FailureKind.Usage);
        return rule.AgeKeyGroups;
    }

    /// <summary>
    /// Runs <paramref name="work"/> over every file, on every core, and returns the results in the files' order, so
    /// the caller writes nothing until every file was read and processed: one bad argument among several files must
    /// change none of them. On a failure no new file is started, the results so far go to <paramref name="discard"/>
    /// (to zero plaintext), and the failure of the first file in order is thrown (files are claimed in order, so every
    /// file before a failed one has run).
    /// </summary>
    public static T[] MapAll<T>(IReadOnlyList<string> files, Func<string, T> work, Action<T> discard)
    {
        var results = new T[files.Count];
        var failures = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[files.Count];
        int next = -1;
        bool failed = false;
        void Worker()
        {
            int i;
            while (!Volatile.Read(ref failed) && (i = Interlocked.Increment(ref next)) < files.Count)
            {
                try
                {
                    results[i] = work(files[i]);
                }
                catch (Exception e)
                {
                    failures[i] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                    Volatile.Write(ref failed, true);
                }
            }
        }
        int workers = Math.Min(Environment.ProcessorCount, files.Count);
        if (workers <= 1)
            Worker();
        else
            Task.WaitAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Worker)).ToArray());
        if (Array.Find(failures, f => f is not null) is { } first)
        {
            foreach (var r in results)
            {
                if (r is not null)
                    discard(r);
            }
            first.Throw();
        }
        return results;
    }

    /// <summary>Every occurrence of a repeatable recipient flag, each a comma-separated list, in order and without repeats.</summary>
    public static List<string> RecipientList(IEnumerable<string>? lists) =>
        (lists ?? []).SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();

    public static bool IsKubernetesSecret(SopsFile file) =>
        ObjectCount(file) > 0 && file.Documents.Where(d => d.Root.Entries.Any()).All(d =>
            d.Root["kind"] is SopsScalar { Text: "Secret" } && d.Root["apiVersion"] is SopsScalar);

    /// <summary>Documents with something in them: a trailing <c>---</c> (kubeseal writes one) makes an empty document, no object.</summary>
    public static int ObjectCount(SopsFile file) => file.Documents.Count(d => d.Root.Entries.Any());
}
