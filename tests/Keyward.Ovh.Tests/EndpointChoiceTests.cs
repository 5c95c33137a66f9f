using Keyward.Core;
using Keyward.Ovh.Api;

namespace Keyward.Ovh.Tests;

/// <summary>
/// Which API region a command talks to: --endpoint, then $OVH_ENDPOINT, then ovh-eu; for a file that records the
/// region of its key, that region, which neither may contradict silently.
/// </summary>
public sealed class EndpointChoiceTests
{
    [Theory]
    [InlineData(null, null, "https://eu.api.ovh.com/1.0")]
    [InlineData(null, "ovh-ca", "https://ca.api.ovh.com/1.0")]
    [InlineData("ovh-us", "ovh-ca", "https://api.us.ovhcloud.com/1.0")]
    public void Without_a_recorded_endpoint_the_option_wins_then_the_environment_then_ovh_eu(string? option, string? environment, string expected)
    {
        var choice = EndpointChoice.Resolve(option, environment);
        Assert.Equal(expected, choice.Endpoint.BaseUrl.ToString().TrimEnd('/'));
        Assert.Null(choice.Note);
    }

    [Fact]
    public void The_recorded_endpoint_is_the_default()
    {
        var choice = EndpointChoice.Resolve(null, null, "ovh-ca", "ovh.sops.yaml");
        Assert.Equal("ovh-ca", choice.Endpoint.Name);
        Assert.Null(choice.Note);
    }

    [Theory]
    [InlineData("ovh-ca")]
    [InlineData("https://ca.api.ovh.com/1.0")]
    [InlineData("https://ca.api.ovh.com/1.0/")]
    public void An_option_naming_the_recorded_region_in_any_spelling_is_accepted(string option)
    {
        var choice = EndpointChoice.Resolve(option, "ovh-eu", "ovh-ca", "ovh.sops.yaml");
        Assert.Equal("https://ca.api.ovh.com/1.0", choice.Endpoint.BaseUrl.ToString().TrimEnd('/'));
        Assert.Null(choice.Note);
    }

    [Fact]
    public void An_option_that_contradicts_the_recorded_endpoint_is_refused_naming_both()
    {
        var error = Assert.Throws<KeywardException>(() => EndpointChoice.Resolve("ovh-eu", null, "ovh-ca", "ovh.sops.yaml"));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("--endpoint ovh-eu", error.Message, StringComparison.Ordinal);
        Assert.Contains("ovh-ca", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"ovh.sops.yaml\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("drop --endpoint", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_that_contradicts_the_recorded_endpoint_is_overruled_with_a_note()
    {
        var choice = EndpointChoice.Resolve(null, "ovh-eu", "ovh-ca", "ovh.sops.yaml");
        Assert.Equal("ovh-ca", choice.Endpoint.Name);
        Assert.NotNull(choice.Note);
        Assert.Contains("$OVH_ENDPOINT (ovh-eu)", choice.Note, StringComparison.Ordinal);
        Assert.Contains("using ovh-ca", choice.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_endpoint_that_is_not_one_is_an_error_about_the_file()
    {
        var error = Assert.Throws<KeywardException>(() => EndpointChoice.Resolve(null, null, "http://api.example.com/1.0", "ovh.sops.yaml"));
        Assert.Contains("\"ovh.sops.yaml\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("keyward.io/ovh-endpoint", error.Message, StringComparison.Ordinal);
    }
}
