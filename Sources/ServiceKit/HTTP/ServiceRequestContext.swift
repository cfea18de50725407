import Hummingbird

/// The request context of every TripGen service: Hummingbird's core storage plus the caller's identity,
/// which the JWT middleware sets.
public struct ServiceRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The authenticated caller; nil on routes that do not require a token.
  public var identity: Identity?
  /// This service's request id (X-Request-ID), set by ``RequestIDMiddleware``.
  public var requestID: String?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
  }

  /// The caller's identity; 401 where no token was verified (a route outside the authenticated group).
  public func requireIdentity() throws -> Identity {
    guard let identity else {
      throw HTTPError(.unauthorized, message: "a bearer token is required")
    }
    return identity
  }
}
