namespace Keyward.Audit;

/// <summary>The set of rules, keyed by ID and by name. Adding a duplicate ID or name is an error, not a silent overwrite.</summary>
public sealed class RuleRegistry
{
    private readonly List<Rule> _rules = [];
    private readonly Dictionary<string, Rule> _byKey = new(StringComparer.OrdinalIgnoreCase);

    public RuleRegistry(IEnumerable<Rule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
            Add(rule);
    }

    public IReadOnlyList<Rule> Rules => _rules;

    public void Add(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (_byKey.ContainsKey(rule.Id))
            throw new InvalidOperationException($"duplicate rule id {rule.Id}");
        if (_byKey.ContainsKey(rule.Name))
            throw new InvalidOperationException($"duplicate rule name {rule.Name}");
        if (!rule.Fix.EndsWith('.') || !rule.Why.EndsWith('.'))
            throw new InvalidOperationException($"rule {rule.Id}: why and fix must be sentences ending with a period");
        _byKey[rule.Id] = rule;
        _byKey[rule.Name] = rule;
        _rules.Add(rule);
    }

    /// <summary>Finds a rule by ID or name, case-insensitively.</summary>
    public Rule? Find(string idOrName) => _byKey.GetValueOrDefault(idOrName.Trim());

    /// <summary>Every built-in rule.</summary>
    public static RuleRegistry BuiltIn { get; } = new(Keyward.Audit.Rules.BuiltInRules.All());
}
