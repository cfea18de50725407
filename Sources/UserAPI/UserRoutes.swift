import Hummingbird
import Logging
import ServiceKit

/// The user service's API: `/api/v1/auth` (register, login, refresh; no token needed) and
/// `/api/v1/users/me` (the current user; access token required).
public enum UserRoutes {
  public static func add(to router: Router<ServiceRequestContext>, environment: ServiceEnvironment)
  {
    let store = UserStore(database: environment.database)
    let hasher = PasswordHasher()
    let tokens = environment.tokens
    let security = environment.loggers.security

    let auth = router.group("api/v1/auth")
    auth.post("register") { request, context -> Response in
      let body = try await request.decode(as: RegisterRequest.self, context: context)
      guard let email = UserValidation.normalisedEmail(body.email) else {
        throw HTTPError(.badRequest, message: "email is not a valid address")
      }
      guard UserValidation.validPassword(body.password) else {
        throw HTTPError(
          .badRequest, message: "password must be \(UserValidation.passwordLength) characters")
      }
      guard let name = UserValidation.validDisplayName(body.displayName) else {
        throw HTTPError(
          .badRequest, message: "displayName must be \(UserValidation.displayNameLength) characters"
        )
      }
      let hash = try await hasher.hash(body.password)
      guard let user = try await store.insert(email: email, displayName: name, passwordHash: hash)
      else { throw HTTPError(.conflict, message: "a user with this email already exists") }
      security.info("user registered", metadata: ["user_id": "\(user.resource.id)"])
      let pair = try await tokens.issue(for: identity(of: user.resource))
      return try jsonResponse(SessionResponse(user: user.resource, tokens: pair), status: .created)
    }

    auth.post("login") { request, context -> Response in
      let body = try await request.decode(as: LoginRequest.self, context: context)
      let email = UserValidation.normalisedEmail(body.email)
      let user = try await email.asyncFlatMap { try await store.find(email: $0) }
      // Unknown addresses cost a hash too, so response time does not tell which emails exist.
      let matches = try await hasher.verify(
        body.password, against: user?.passwordHash ?? Self.decoyHash)
      guard let user, matches else {
        security.info("login refused", metadata: ["request_id": "\(context.requestID ?? "")"])
        throw HTTPError(.unauthorized, message: "email or password is wrong")
      }
      security.info("login", metadata: ["user_id": "\(user.resource.id)"])
      let pair = try await tokens.issue(for: identity(of: user.resource))
      return try jsonResponse(SessionResponse(user: user.resource, tokens: pair), status: .ok)
    }

    auth.post("refresh") { request, context -> Response in
      let body = try await request.decode(as: RefreshRequest.self, context: context)
      let claimed: Identity
      do {
        claimed = try await tokens.verify(body.refreshToken, kind: .refresh)
      } catch {
        security.info("refresh refused", metadata: ["reason": "\(error)"])
        throw HTTPError(.unauthorized, message: "\(error)")
      }
      // The role may have changed, or the user been deleted, since the token was issued.
      guard let user = try await store.find(id: claimed.userID) else {
        throw HTTPError(.unauthorized, message: "the user no longer exists")
      }
      return try jsonResponse(try await tokens.issue(for: identity(of: user.resource)), status: .ok)
    }

    let users = router.group("api/v1/users")
      .add(middleware: JWTAuthenticator(tokens: tokens, securityLogger: security))
    users.get("me") { _, context -> Response in
      let caller = try context.requireIdentity()
      guard let user = try await store.find(id: caller.userID) else {
        throw HTTPError(.notFound, message: "user \(caller.userID) does not exist")
      }
      return try jsonResponse(user.resource, status: .ok)
    }

    users.patch("me") { request, context -> Response in
      let caller = try context.requireIdentity()
      let body = try await request.decode(as: UpdateUserRequest.self, context: context)
      guard let current = try await store.find(id: caller.userID) else {
        throw HTTPError(.notFound, message: "user \(caller.userID) does not exist")
      }
      var name: String?
      if let requested = body.displayName {
        guard let valid = UserValidation.validDisplayName(requested) else {
          throw HTTPError(
            .badRequest,
            message: "displayName must be \(UserValidation.displayNameLength) characters")
        }
        name = valid
      }
      var newHash: String?
      if let password = body.password {
        guard UserValidation.validPassword(password) else {
          throw HTTPError(
            .badRequest, message: "password must be \(UserValidation.passwordLength) characters")
        }
        guard let currentPassword = body.currentPassword,
          try await hasher.verify(currentPassword, against: current.passwordHash)
        else {
          security.info("password change refused", metadata: ["user_id": "\(caller.userID)"])
          throw HTTPError(.forbidden, message: "currentPassword is missing or wrong")
        }
        newHash = try await hasher.hash(password)
      }
      guard name != nil || newHash != nil else {
        throw HTTPError(.badRequest, message: "nothing to update: give displayName or password")
      }
      guard
        let updated = try await store.update(
          id: caller.userID, displayName: name, passwordHash: newHash)
      else { throw HTTPError(.notFound, message: "user \(caller.userID) does not exist") }
      return try jsonResponse(updated.resource, status: .ok)
    }
  }

  /// A valid hash of a random password, compared against when the email is unknown.
  static let decoyHash =
    "$pbkdf2-sha256$i=210000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

  static func identity(of user: UserResource) -> Identity {
    Identity(userID: user.id, role: user.role)
  }
}

extension Optional {
  fileprivate func asyncFlatMap<Result>(_ transform: (Wrapped) async throws -> Result?)
    async rethrows -> Result?
  {
    guard let self else { return nil }
    return try await transform(self)
  }
}
