namespace Keyward.Ovh.Grading;

/// <summary>
/// The scale of the Karpenter-on-OVHcloud security guide: critical (all projects), high (a whole project),
/// medium (all clusters of a project), minimal (one cluster). DNS rules are graded on the same four steps.
/// </summary>
public enum RiskLevel
{
    Minimal = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}

public static class RiskLevels
{
    public static string Name(this RiskLevel level) => level switch
    {
        RiskLevel.Minimal => "minimal",
        RiskLevel.Medium => "medium",
        RiskLevel.High => "high",
        RiskLevel.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The guide's recommendation for each level.</summary>
    public static string Recommendation(this RiskLevel level) => level switch
    {
        RiskLevel.Minimal => "recommended",
        RiskLevel.Medium => "not recommended",
        RiskLevel.High => "avoid",
        RiskLevel.Critical => "never use",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse(string? text, out RiskLevel level)
    {
        foreach (var candidate in Enum.GetValues<RiskLevel>())
        {
            if (string.Equals(candidate.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }
        level = default;
        return false;
    }
}
