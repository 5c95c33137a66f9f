using Xunit;

namespace Keyward.Testing;

/// <summary>The theory form of <see cref="RequiresToolFactAttribute"/>: skipped when the tool is missing outside CI.</summary>
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(params string[] tools) => Skip = ExternalTool.SkipReason(tools);
}
