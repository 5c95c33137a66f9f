using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// Runs, for one file, the rules that check each file alone (<see cref="Rule.ChecksEachFileAlone"/>), exactly as the
/// engine would when it reaches the file, into a sink of its own. It runs on the parse-ahead thread, so on two cores
/// these rules (the credential and secret scans, most of the work) overlap the rules that need the whole repository.
/// </summary>
internal static class CheckAhead
{
    /// <summary>Categories whose document checks run on manifests from history: the ones about leaked secrets.</summary>
    public static readonly HashSet<Category> HistoryCategories = [Category.Secrets, Category.Credentials, Category.CloudCredentials];

    /// <summary>
    /// The findings of each rule of <paramref name="rules"/> that checks files alone, for a text the engine will check
    /// with <see cref="Auditor"/>'s file or commit path; null when it takes another path (an edited manifest).
    /// </summary>
    public static Dictionary<Rule, List<Finding>>? Run(SourceText text, IReadOnlyList<ManifestDocument> documents, IReadOnlyList<Rule> rules,
        Func<string, SourceText?> texts)
    {
        if (text.Edit is not null)
            return null;
        bool committed = text.Commit is not null;
        bool scanText = committed || AuditInputs.IsTextScanned(text);
        Dictionary<Rule, List<Finding>>? found = null;
        // The context of a commit's file, as the engine's: local rules do not read it, but they are handed one.
        var context = new AuditContext([text]);
        foreach (var rule in rules)
        {
            if (!rule.ChecksEachFileAlone)
                continue;
            var sink = new FindingSink(texts) { Current = rule, CurrentText = text };
            if (scanText)
                rule.CheckText(text, sink);
            if (!committed || HistoryCategories.Contains(rule.Category))
            {
                foreach (var document in documents)
                    rule.CheckDocument(document, context, sink);
            }
            (found ??= [])[rule] = [.. sink.Findings];
        }
        return found;
    }

    /// <summary>Hands a rule's findings found ahead to <paramref name="sink"/>; false when there are none to take.</summary>
    public static bool TakeInto(SourceText? text, Rule rule, FindingSink sink)
    {
        if (text?.PreparedFindings is not { } prepared || !prepared.Remove(rule, out var findings))
            return false;
        sink.AddRange(findings);
        return true;
    }
}
