import Controller
import Testing

/// GitHub's signature scheme, against the example GitHub documents for validating deliveries.
@Suite struct WebhookSignatureTests {
  let signature = WebhookSignature(secret: Array("It's a Secret to Everybody".utf8))
  let body = Array("Hello, World!".utf8)

  @Test func githubsDocumentedExampleIsAccepted() {
    let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    #expect(signature.header(for: body) == header)
    #expect(signature.isValid(header: header, body: body))
  }

  @Test func aChangedBodyOrSecretIsRejected() {
    let header = signature.header(for: body)
    #expect(!signature.isValid(header: header, body: Array("Hello, World?".utf8)))
    #expect(!WebhookSignature(secret: Array("other".utf8)).isValid(header: header, body: body))
  }

  @Test func malformedHeadersAreRejected() {
    let hex = String(signature.header(for: body).dropFirst("sha256=".count))
    let headers: [String?] = [
      nil, "", hex, "sha1=" + hex, "sha256=" + String(hex.dropLast(2)),
      "sha256=zz" + String(hex.dropFirst(2)),
    ]
    for header in headers {
      #expect(!signature.isValid(header: header, body: body), "\(header ?? "nil")")
    }
  }
}
