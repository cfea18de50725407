import Foundation
import JWTKit

/// Issues and verifies HS256 tokens signed with JWT_SECRET; every service shares the secret, so a token
/// the user service issues is accepted by the others.
public struct TokenService: Sendable {
  /// A freshly issued access and refresh token.
  public struct TokenPair: Codable, Sendable, Equatable {
    public let accessToken: String
    public let refreshToken: String
    public let tokenType: String
    /// Seconds until the access token expires.
    public let expiresIn: Int
  }

  /// Why a token was refused. Descriptions never include the token.
  public enum Failure: Error, CustomStringConvertible {
    case invalid(String)
    case wrongKind(expected: TokenClaims.Kind)
    case badSubject

    public var description: String {
      switch self {
      case .invalid(let reason): return "token rejected: \(reason)"
      case .wrongKind(let expected): return "token rejected: not an \(expected.rawValue) token"
      case .badSubject: return "token rejected: its subject is not a user id"
      }
    }
  }

  private let keys: JWTKeyCollection
  public let accessLifetime: Duration
  public let refreshLifetime: Duration

  public init(
    secret: String, accessLifetime: Duration = .seconds(15 * 60),
    refreshLifetime: Duration = .seconds(7 * 24 * 3600)
  ) async {
    keys = JWTKeyCollection()
    await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    self.accessLifetime = accessLifetime
    self.refreshLifetime = refreshLifetime
  }

  /// Signs an access and a refresh token for a user.
  public func issue(for identity: Identity, now: Date = .now) async throws -> TokenPair {
    let access = try await sign(identity, kind: .access, lifetime: accessLifetime, now: now)
    let refresh = try await sign(identity, kind: .refresh, lifetime: refreshLifetime, now: now)
    return TokenPair(
      accessToken: access, refreshToken: refresh, tokenType: "Bearer",
      expiresIn: Int(accessLifetime.components.seconds))
  }

  /// Verifies a token's signature, expiry and issuer, and that it is of `kind`.
  public func verify(_ token: String, kind: TokenClaims.Kind) async throws(Failure) -> Identity {
    let claims: TokenClaims
    do {
      claims = try await keys.verify(token, as: TokenClaims.self)
    } catch {
      throw .invalid(Self.reason(error))
    }
    guard claims.typ == kind else { throw .wrongKind(expected: kind) }
    guard let id = Int64(claims.sub.value) else { throw .badSubject }
    return Identity(userID: id, role: claims.role)
  }

  private func sign(_ identity: Identity, kind: TokenClaims.Kind, lifetime: Duration, now: Date)
    async throws -> String
  {
    let seconds = Double(lifetime.components.seconds)
    let claims = TokenClaims(
      sub: .init(value: String(identity.userID)), role: identity.role, typ: kind,
      iss: .init(value: TokenClaims.issuer), iat: .init(value: now),
      exp: .init(value: now.addingTimeInterval(seconds)))
    return try await keys.sign(claims)
  }

  /// A short reason from jwt-kit's error, without the token.
  private static func reason(_ error: any Error) -> String {
    guard let jwtError = error as? JWTError else { return "malformed" }
    switch jwtError.errorType {
    case .claimVerificationFailure: return "expired or wrong issuer"
    case .signatureVerificationFailed: return "bad signature"
    default: return "malformed"
    }
  }
}
