import Hummingbird
import Logging

/// Requires a valid access token (`Authorization: Bearer <jwt>`) on the routes it guards and puts the
/// caller's ``Identity`` into the context. Refusals are 401 with `WWW-Authenticate`, logged on the
/// security logger with the reason but never the token.
public struct JWTAuthenticator: RouterMiddleware {
  public typealias Context = ServiceRequestContext
  let tokens: TokenService
  let securityLogger: Logger

  public init(tokens: TokenService, securityLogger: Logger) {
    self.tokens = tokens
    self.securityLogger = securityLogger
  }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var logger = securityLogger
    logger[metadataKey: "request_id"] = context.requestID.map { .string($0) }
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
      logger.info("request without bearer token refused", metadata: ["path": "\(request.uri.path)"])
      throw Self.unauthorized("a bearer token is required")
    }
    do {
      let identity = try await tokens.verify(String(header.dropFirst(7)), kind: .access)
      var context = context
      context.identity = identity
      context.logger[metadataKey: "user_id"] = "\(identity.userID)"
      return try await next(request, context)
    } catch let failure as TokenService.Failure {
      logger.info(
        "token refused", metadata: ["path": "\(request.uri.path)", "reason": "\(failure)"])
      throw Self.unauthorized(failure.description)
    }
  }

  static func unauthorized(_ message: String) -> HTTPError {
    HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: message)
  }
}
