import JWTKit

/// The claims of TripGen's tokens: subject (the user id), role, kind (access or refresh), issuer,
/// issued-at and expiry.
public struct TokenClaims: JWTPayload, Equatable {
  /// What a token may be used for: an access token authorises API calls, a refresh token only buys a
  /// new pair, so a leaked access token cannot be renewed and a refresh token cannot call the API.
  public enum Kind: String, Codable, Sendable {
    case access, refresh
  }

  /// The issuer every TripGen service signs and expects.
  public static let issuer = "tripgen"

  public var sub: SubjectClaim
  public var role: Role
  public var typ: Kind
  public var iss: IssuerClaim
  public var iat: IssuedAtClaim
  public var exp: ExpirationClaim

  public func verify(using algorithm: some JWTAlgorithm) async throws {
    try exp.verifyNotExpired()
    guard iss.value == Self.issuer else {
      throw JWTError.claimVerificationFailure(
        failedClaim: iss, reason: "issuer is not \(Self.issuer)")
    }
  }
}
