import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import UserAPI

extension ServiceTests {
  @Suite struct UserAPITests {
    func service() async throws -> TestService {
      try await TestService(name: "user-service")
    }

    func routes(_ router: Router<ServiceRequestContext>, _ environment: ServiceEnvironment) {
      UserRoutes.add(to: router, environment: environment)
    }

    @Test func sampleUserLogsInWithTheDocumentedPasswordAndSeesThemselves() async throws {
      let service = try await service()
      try await service.test(routes: routes) { client in
        let session = try await client.execute(
          uri: "/api/v1/auth/login", method: .post, headers: headers(),
          body: jsonBody(#"{"email": "Planner1@tripgen.dev", "password": "tripgen-dev-password"}"#)
        ) { response in
          #expect(response.status == .ok)
          return try response.body.json(SessionResponse.self)
        }
        #expect(session.user.email == "planner1@tripgen.dev")
        #expect(session.user.role == .planner)
        #expect(!String(describing: session).contains("pbkdf2"))
        try await client.execute(
          uri: "/api/v1/users/me", method: .get, headers: headers(token: session.tokens.accessToken)
        ) { response in
          #expect(response.status == .ok)
          let user = try response.body.json(UserResource.self)
          #expect(user.displayName == "Planner One")
          #expect(!String(buffer: response.body).contains("password"))
        }
      }
    }

    @Test func loginFailures() async throws {
      let service = try await service()
      try await service.test(routes: routes) { client in
        let cases: [(String, HTTPResponse.Status)] = [
          (#"{"email": "member1@tripgen.dev", "password": "wrong-password"}"#, .unauthorized),
          (#"{"email": "nobody@tripgen.dev", "password": "tripgen-dev-password"}"#, .unauthorized),
          (#"{"email": "member1@tripgen.dev"}"#, .badRequest),
          (#"{"email": "member1@tripgen.dev", "password": "#, .badRequest),
          ("", .badRequest),
        ]
        for (body, status) in cases {
          try await client.execute(
            uri: "/api/v1/auth/login", method: .post, headers: headers(), body: jsonBody(body)
          ) { response in
            #expect(response.status == status, "\(body)")
          }
        }
      }
      let security = service.logLines.filter { $0.contains("\"logger\":\"user-service.security\"") }
      #expect(security.contains { $0.contains("login refused") })
      #expect(
        !service.logLines.contains { $0.contains("wrong-password") }, "passwords never logged")
    }

    @Test func registerThenDuplicateAndInvalidInput() async throws {
      let service = try await service()
      try await service.test(routes: routes) { client in
        let body =
          #"{"email": "new.user@example.com", "password": "a-long-password", "displayName": "New User"}"#
        let session = try await client.execute(
          uri: "/api/v1/auth/register", method: .post, headers: headers(), body: jsonBody(body)
        ) { response in
          #expect(response.status == .created)
          return try response.body.json(SessionResponse.self)
        }
        #expect(session.user.role == .member)
        try await client.execute(
          uri: "/api/v1/auth/register", method: .post, headers: headers(), body: jsonBody(body)
        ) { response in
          #expect(response.status == .conflict)
        }
        let invalid = [
          #"{"email": "not-an-email", "password": "a-long-password", "displayName": "X"}"#,
          #"{"email": "x@example.com", "password": "short", "displayName": "X"}"#,
          #"{"email": "x@example.com", "password": "a-long-password", "displayName": "  "}"#,
          #"{"email": "x@example.com", "password": "a-long-password"}"#,
          #"{"email": 5, "password": "a-long-password", "displayName": "X"}"#,
        ]
        for body in invalid {
          try await client.execute(
            uri: "/api/v1/auth/register", method: .post, headers: headers(), body: jsonBody(body)
          ) { response in
            #expect(response.status == .badRequest, "\(body)")
          }
        }
        // The new user's password was stored in the sample data's format and logs in.
        try await client.execute(
          uri: "/api/v1/auth/login", method: .post, headers: headers(),
          body: jsonBody(#"{"email": "new.user@example.com", "password": "a-long-password"}"#)
        ) { response in
          #expect(response.status == .ok)
        }
      }
      let stored = try service.query(
        "SELECT password_hash FROM users WHERE email = 'new.user@example.com'")
      #expect(stored.first?.hasPrefix("$pbkdf2-sha256$i=210000$") == true)
    }

    @Test func refreshIssuesANewPairOnlyForRefreshTokens() async throws {
      let service = try await service()
      try await service.test(routes: routes) { client in
        let session = try await client.execute(
          uri: "/api/v1/auth/login", method: .post, headers: headers(),
          body: jsonBody(#"{"email": "member2@tripgen.dev", "password": "tripgen-dev-password"}"#)
        ) { try $0.body.json(SessionResponse.self) }
        let pair = try await client.execute(
          uri: "/api/v1/auth/refresh", method: .post, headers: headers(),
          body: jsonBody(#"{"refreshToken": "\#(session.tokens.refreshToken)"}"#)
        ) { response in
          #expect(response.status == .ok)
          return try response.body.json(TokenService.TokenPair.self)
        }
        try await client.execute(
          uri: "/api/v1/users/me", method: .get, headers: headers(token: pair.accessToken)
        ) { #expect($0.status == .ok) }
        for token in [session.tokens.accessToken, "garbage"] {
          try await client.execute(
            uri: "/api/v1/auth/refresh", method: .post, headers: headers(),
            body: jsonBody(#"{"refreshToken": "\#(token)"}"#)
          ) { #expect($0.status == .unauthorized) }
        }
        try await client.execute(
          uri: "/api/v1/auth/refresh", method: .post, headers: headers(), body: jsonBody("{}")
        ) { #expect($0.status == .badRequest) }
      }
    }

    @Test func currentUserNeedsAValidAccessToken() async throws {
      let service = try await service()
      let foreign = try await TokenService(secret: "some-other-secret-0123456789-0123456789")
        .issue(for: Identity(userID: 1, role: .admin))
      try await service.test(routes: routes) { client in
        try await client.execute(uri: "/api/v1/users/me", method: .get) { response in
          #expect(response.status == .unauthorized)
          #expect(response.headers[.wwwAuthenticate] == "Bearer")
        }
        for token in [foreign.accessToken, foreign.refreshToken, "abc.def.ghi"] {
          try await client.execute(
            uri: "/api/v1/users/me", method: .get, headers: headers(token: token)
          ) { #expect($0.status == .unauthorized) }
        }
      }
    }

    @Test func updateDisplayNameAndPassword() async throws {
      let service = try await service()
      let id = try service.userID("member3@tripgen.dev")
      let token = try await service.token(userID: id, role: .member)
      try await service.test(routes: routes) { client in
        try await client.execute(
          uri: "/api/v1/users/me", method: .patch, headers: headers(token: token),
          body: jsonBody(#"{"displayName": "Member Three Renamed"}"#)
        ) { response in
          #expect(response.status == .ok)
          let user = try response.body.json(UserResource.self)
          #expect(user.displayName == "Member Three Renamed")
        }
        try await client.execute(
          uri: "/api/v1/users/me", method: .patch, headers: headers(token: token),
          body: jsonBody(#"{"password": "new-password-1", "currentPassword": "wrong"}"#)
        ) { #expect($0.status == .forbidden) }
        try await client.execute(
          uri: "/api/v1/users/me", method: .patch, headers: headers(token: token),
          body: jsonBody("{}")
        ) { #expect($0.status == .badRequest) }
        try await client.execute(
          uri: "/api/v1/users/me", method: .patch, headers: headers(token: token),
          body: jsonBody(
            #"{"password": "new-password-1", "currentPassword": "tripgen-dev-password"}"#)
        ) { #expect($0.status == .ok) }
        try await client.execute(
          uri: "/api/v1/auth/login", method: .post, headers: headers(),
          body: jsonBody(#"{"email": "member3@tripgen.dev", "password": "new-password-1"}"#)
        ) { #expect($0.status == .ok) }
        try await client.execute(
          uri: "/api/v1/auth/login", method: .post, headers: headers(),
          body: jsonBody(#"{"email": "member3@tripgen.dev", "password": "tripgen-dev-password"}"#)
        ) { #expect($0.status == .unauthorized) }
      }
    }
  }
}
