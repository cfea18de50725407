import HTTP

/// Why talking to a registry failed, in words a person can act on. Credentials and tokens never
/// appear in these values.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
  /// No connection could be made to the registry (down, wrong port, DNS).
  case unreachable(registry: String, cause: HTTPError)
  /// The registry rejected the credentials (401 after they were sent).
  case authenticationFailed(registry: String, username: String?, detail: String)
  /// The credentials were accepted but do not allow `action` on `repository`.
  case denied(registry: String, repository: String, action: String, detail: String)
  /// The registry answered an operation with a status it should not have.
  case unexpectedResponse(
    operation: String, url: String, status: Int, errors: [RegistryErrorDetail], bodyExcerpt: String)
  /// The registry computed another digest for what we sent.
  case digestMismatch(url: String, expected: String, actual: String)
  /// An upload response lacked its `Location` header.
  case missingLocation(operation: String, url: String)
  /// A `WWW-Authenticate` challenge could not be understood.
  case invalidChallenge(registry: String, challenge: String)
  /// The token service (`realm`) refused or returned no token.
  case tokenRequestFailed(realm: String, status: Int, detail: String)
  /// The credentials file could not be read.
  case invalidCredentialsFile(path: String, reason: String)
  /// The image to push could not be read from its layout.
  case invalidImage(reference: String, reason: String)
  /// Any other transfer failure.
  case transfer(operation: String, cause: HTTPError)
  /// An Entra ID (or GitHub OIDC) token could not be had for ACR.
  case entraTokenFailed(step: String, url: String, status: Int, detail: String, hint: String)
  /// The environment names an Entra ID credential but not all of it.
  case invalidEntraConfiguration(reason: String)
  /// A `docker-credential-*` helper failed or answered something unreadable.
  case credentialHelperFailed(helper: String, registry: String, reason: String)

  public var description: String {
    switch self {
    case .unreachable(let registry, let cause):
      return "registry \(registry) is unreachable: \(cause.rootCause) "
        + "(is it running, and are the host and port right?)"
    case .authenticationFailed(let registry, let username, let detail):
      let who =
        username.map { "as \($0)" }
        ?? "anonymously (set TRIPGEN_REGISTRY_USERNAME/TRIPGEN_REGISTRY_PASSWORD or docker login)"
      return "authentication to \(registry) \(who) failed: \(detail)"
    case .denied(let registry, let repository, let action, let detail):
      let rights =
        action == "push" ? "push rights (AcrPush on ACR)" : "pull rights (AcrPull on ACR)"
      let extra = detail.isEmpty ? "" : " (registry said: \(detail))"
      return "\(action) to \(registry)/\(repository) denied: the credential needs \(rights)\(extra)"
    case .unexpectedResponse(let operation, let url, let status, let errors, let excerpt):
      let words =
        errors.isEmpty
        ? (excerpt.isEmpty ? "" : ": \(excerpt)")
        : ": " + errors.map(\.description).joined(separator: "; ")
      return "\(operation) failed: HTTP \(status) from \(url)\(words)"
    case .digestMismatch(let url, let expected, let actual):
      return "the registry stored \(url) as \(actual), but we sent \(expected): "
        + "a proxy or the registry altered the content"
    case .missingLocation(let operation, let url):
      return "\(operation): the registry's answer from \(url) has no Location header"
    case .invalidChallenge(let registry, let challenge):
      return "registry \(registry) asked for authentication we do not understand: \(challenge)"
    case .tokenRequestFailed(let realm, let status, let detail):
      return
        "the token service \(realm) answered HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        + " (check the credentials and their rights)"
    case .invalidCredentialsFile(let path, let reason):
      return "couldn't read registry credentials from \(path): \(reason)"
    case .invalidImage(let reference, let reason):
      return "couldn't read the image \(reference): \(reason)"
    case .transfer(let operation, let cause):
      return "\(operation) failed: \(cause)"
    case .entraTokenFailed(let step, let url, let status, let detail, let hint):
      return "\(step) to \(url) answered HTTP \(status)"
        + (detail.isEmpty ? "" : ": \(detail)") + " (\(hint))"
    case .invalidEntraConfiguration(let reason):
      return "the Entra ID credential for the registry is incomplete: \(reason)"
    case .credentialHelperFailed(let helper, let registry, let reason):
      return "the credential helper \(helper) failed for \(registry): \(reason) "
        + "(is it on PATH, and logged in?)"
    }
  }
}
