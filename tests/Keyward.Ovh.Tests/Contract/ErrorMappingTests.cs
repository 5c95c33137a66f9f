using System.Net;
using Keyward.Ovh.Api;

namespace Keyward.Ovh.Tests.Contract;

/// <summary>Error bodies as apis.md §1.6 documents them: classified by errorCode or message, not by HTTP class.</summary>
public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(403, "{\"errorCode\":\"INVALID_CREDENTIAL\",\"httpCode\":\"403 Forbidden\",\"message\":\"This credential is not valid\"}", OvhErrorKind.InvalidCredential)]
    [InlineData(403, "{\"errorCode\":\"NOT_GRANTED_CALL\",\"httpCode\":\"403 Forbidden\",\"message\":\"This call has not been granted\"}", OvhErrorKind.NotGrantedCall)]
    [InlineData(403, "{\"errorCode\":\"INVALID_KEY\",\"httpCode\":\"403 Forbidden\",\"message\":\"Invalid application key\"}", OvhErrorKind.InvalidKey)]
    [InlineData(400, "{\"errorCode\":\"INVALID_SIGNATURE\",\"httpCode\":\"400 Bad Request\",\"message\":\"Invalid signature\"}", OvhErrorKind.InvalidSignature)]
    [InlineData(403, "{\"errorCode\":\"NOT_CREDENTIAL\",\"httpCode\":\"403 Forbidden\",\"message\":\"\"}", OvhErrorKind.NotCredential)]
    [InlineData(403, "{\"class\":\"Client::Forbidden\",\"message\":\"This credential is not valid\"}", OvhErrorKind.InvalidCredential)]
    [InlineData(403, "{\"class\":\"Client::Forbidden\",\"message\":\"Invalid application key\"}", OvhErrorKind.InvalidKey)]
    [InlineData(403, "{\"class\":\"Client::Forbidden\",\"message\":\"User not granted for this request\"}", OvhErrorKind.Forbidden)]
    [InlineData(401, "{\"message\":\"You must login first\"}", OvhErrorKind.MissingAuthentication)]
    [InlineData(404, "{\"message\":\"The requested object (kubeId = x) does not exist\"}", OvhErrorKind.NotFound)]
    [InlineData(460, "{\"message\":\"Service is expired\"}", OvhErrorKind.Expired)]
    [InlineData(503, "<html>down</html>", OvhErrorKind.ServerError)]
    public void Bodies_are_classified_by_code_and_message(int status, string body, OvhErrorKind expected)
    {
        var error = OvhErrorMapper.FromResponse("GET", "/x", (HttpStatusCode)status, body, "EU.ext-1");
        Assert.Equal(expected, error.ErrorKind);
        Assert.StartsWith("GET /x: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("EU.ext-1", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Fact]
    public void The_karpenter_guides_class_based_reading_is_not_used_an_invalid_key_on_403_is_not_a_permission_problem()
    {
        // The guide says Client::Forbidden means missing permissions; apis.md shows an unvalidated or expired key is also a 403.
        var error = OvhErrorMapper.FromResponse("GET", "/x", HttpStatusCode.Forbidden,
            "{\"errorCode\":\"INVALID_CREDENTIAL\",\"httpCode\":\"403 Forbidden\",\"message\":\"This credential is not valid\"}", null);
        Assert.Contains("never validated", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("add the rule", error.Hint, StringComparison.Ordinal);
    }
}

/// <summary>An answer with no message, such as a redirect, says what happened instead of quoting nothing.</summary>
public sealed class EmptyAnswerMappingTests
{
    [Fact]
    public void A_redirect_without_a_body_says_it_is_a_redirect_and_does_not_point_at_a_missing_message()
    {
        var error = OvhErrorMapper.FromResponse("GET", "/auth/currentCredential", HttpStatusCode.Found, "", null);
        Assert.DoesNotContain("\"\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("302", error.Message, StringComparison.Ordinal);
        Assert.Contains("redirect", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("message above", error.Hint, StringComparison.Ordinal);
        Assert.Contains("--endpoint", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_error_without_a_message_does_not_point_at_a_missing_message()
    {
        var error = OvhErrorMapper.FromResponse("GET", "/x", (HttpStatusCode)418, "", "EU.q-1");
        Assert.DoesNotContain("\"\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("message above", error.Hint, StringComparison.Ordinal);
    }
}
