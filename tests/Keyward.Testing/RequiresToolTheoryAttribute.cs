using Xunit;

namespace Keyward.Testing;

/// <summary>The theory form of <see cref="RequiresToolFactAttribute"/>: skipped when the tool is missing outside CI.</summary>
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(params string[] tools)
    {
        var missing = tools.Where(t => !ExternalTool.Exists(t)).ToList();
        if (missing.Count > 0 && !ExternalTool.InCi)
            Skip = $"reference tool not installed: {string.Join(", ", missing)} (with CI=true this fails instead)";
    }
}
