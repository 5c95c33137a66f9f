namespace Keyward.Audit.Credentials;

/// <summary>A credential found in text: which pattern, the secret and where it starts.</summary>
public sealed record CredentialMatch(CredentialPattern Pattern, string Secret, int Offset, string Match, double Entropy);
