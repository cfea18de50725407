import Kube
import Testing

/// Secrets stay out of anything printed.
@Suite struct KubeRedactionTests {
  @Test func printedValuesNeverShowSecrets() {
    var configuration = KubeClientConfiguration(
      server: "https://aks.example:443",
      tls: KubeTLSSettings(
        clientCertificatePEM: Array("CERT".utf8), clientKeyPEM: Array("PRIVATE KEY".utf8)),
      authentication: .token("s3cret"))
    let texts = [
      "\(configuration)", String(reflecting: configuration), "\(configuration.authentication)",
      "\(KubeRequest(method: "GET", url: "https://aks.example/api", headers: [("Authorization", "Bearer s3cret")]))",
    ]
    configuration.authentication = .basic(username: "admin", password: "pa55")
    for text in texts + ["\(configuration)"] {
      #expect(!text.contains("s3cret"), "\(text)")
      #expect(!text.contains("pa55"), "\(text)")
      #expect(!text.contains("PRIVATE KEY"), "\(text)")
    }
    #expect("\(configuration)".contains("basic admin:<redacted>"))
    #expect(texts[3] == "GET https://aks.example/api [Authorization: Bearer <redacted>]")
  }
}
