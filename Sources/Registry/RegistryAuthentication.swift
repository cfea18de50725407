/// How a `RegistryClient` proves who it is. Descriptions never show a secret.
public enum RegistryAuthentication: Sendable, Equatable, CustomStringConvertible {
  /// No credentials: only public repositories can be read.
  case anonymous
  /// A user name and password: sent as Basic auth, or to the token service for Bearer tokens.
  case basic(RegistryCredentials)
  /// A refresh token (Docker's "identity token"; ACR's from `az acr login --expose-token`),
  /// traded at the token service (`POST realm`, `grant_type=refresh_token`) for access tokens.
  case identityToken(String)
  /// An Entra ID (Azure AD) identity, for Azure Container Registry: its access token is
  /// exchanged at the registry's `/oauth2/exchange` for a refresh token, which is then traded
  /// for access tokens like an identity token.
  case entra(EntraCredentialSource)

  /// The user name Basic auth uses with an ACR refresh token as the password.
  static let refreshTokenUsername = "00000000-0000-0000-0000-000000000000"

  public var description: String {
    switch self {
    case .anonymous: return "anonymous access"
    case .basic(let credentials): return "user \(credentials.username)"
    case .identityToken: return "an identity (refresh) token"
    case .entra(let source): return "Entra ID (\(source))"
    }
  }
}
