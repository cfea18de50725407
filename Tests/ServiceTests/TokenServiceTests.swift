import Foundation
import ServiceKit
import Testing

@Suite struct TokenServiceTests {
  let secret = "token-test-secret-0123456789-0123456789"

  @Test func issuedTokensVerifyWithTheirKindAndRole() async throws {
    let tokens = await TokenService(secret: secret)
    let pair = try await tokens.issue(for: Identity(userID: 42, role: .planner))
    #expect(pair.tokenType == "Bearer")
    #expect(pair.expiresIn == 900)
    let identity = try await tokens.verify(pair.accessToken, kind: .access)
    #expect(identity == Identity(userID: 42, role: .planner))
    #expect(try await tokens.verify(pair.refreshToken, kind: .refresh).userID == 42)
  }

  @Test func refusals() async throws {
    let tokens = await TokenService(secret: secret)
    let pair = try await tokens.issue(for: Identity(userID: 1, role: .member))
    await #expect(throws: TokenService.Failure.self) {
      try await tokens.verify(pair.refreshToken, kind: .access)
    }
    await #expect(throws: TokenService.Failure.self) {
      try await tokens.verify(pair.accessToken, kind: .refresh)
    }
    let other = await TokenService(secret: "another-secret-0123456789-0123456789")
    await #expect(throws: TokenService.Failure.self) {
      try await other.verify(pair.accessToken, kind: .access)
    }
    let old = try await tokens.issue(
      for: Identity(userID: 1, role: .member), now: Date.now.addingTimeInterval(-3600))
    await #expect(throws: TokenService.Failure.self) {
      try await tokens.verify(old.accessToken, kind: .access)
    }
    await #expect(throws: TokenService.Failure.self) {
      try await tokens.verify("not.a.token", kind: .access)
    }
    // A tampered payload (role raised to admin) fails the signature.
    let parts = pair.accessToken.split(separator: ".").map(String.init)
    var payload = try #require(Data(base64Encoded: Self.padded(parts[1])))
    payload = Data(
      String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "member", with: "admin")
        .utf8)
    let forged = [parts[0], Self.base64URL(payload), parts[2]].joined(separator: ".")
    await #expect(throws: TokenService.Failure.self) {
      try await tokens.verify(forged, kind: .access)
    }
  }

  static func padded(_ text: String) -> String {
    var text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
      of: "_", with: "/")
    while text.count % 4 != 0 { text += "=" }
    return text
  }

  static func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }
}
