namespace Keyward.Audit.Credentials;

/// <summary>
/// go.sum and go.work.sum: the module checksums the go command writes and checks, one <c>module version[/go.mod]
/// h1:hash</c> per line. The hash is a base64 SHA-256, as random as a key, and module paths are full of credential
/// words (oauth2, auth, credentials, secretmanager), so the generic pattern took every such line for an API key. The
/// files are skipped whole rather than their <c>h1:</c> form allowed line by line: nobody writes in them (the go command
/// does, <c>go mod tidy</c> rewrites them, and a line that is not three fields stops every build), large repositories
/// have go.work.sum files of thousands of lines to search for nothing, and gitleaks' default configuration skips them
/// too.
/// </summary>
internal static class GoChecksumFiles
{
    public static bool Is(string file)
    {
        var name = file.AsSpan(file.LastIndexOf('/') + 1);
        return name is "go.sum" or "go.work.sum";
    }
}
