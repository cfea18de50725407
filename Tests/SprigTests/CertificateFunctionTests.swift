import Foundation
import GoTemplate
import Testing

/// Certificates from Sprig's certificate functions, checked with the `openssl` command (a real
/// X.509 implementation): they parse, carry the requested names and usages, and verify against
/// their CA.
@Suite("Sprig certificate functions, verified by openssl")
struct CertificateFunctionTests {
  @Test("genCA and genSignedCert make a chain openssl verifies, with the requested names")
  func signedChain() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = try renderHelmStyle(
      """
      {{- $ca := genCA "my-ca" 365 -}}
      {{- $cert := genSignedCert "web.example.com" (list "10.0.0.1" "::1") (list "web" "web.svc") 30 $ca -}}
      {{ $ca.Cert }}=====
      {{ $ca.Key }}=====
      {{ $cert.Cert }}=====
      {{ $cert.Key }}
      """)
    let parts = output.components(separatedBy: "=====\n")
    #expect(parts.count == 4)
    guard parts.count == 4 else { return }
    #expect(parts[0].hasPrefix("-----BEGIN CERTIFICATE-----"))
    #expect(parts[1].hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
    let caPath = try writeFile(parts[0], "ca.pem", in: directory)
    let certPath = try writeFile(parts[2], "cert.pem", in: directory)
    let keyPath = try writeFile(parts[3], "key.pem", in: directory)

    let verify = try runOpenSSL(["verify", "-CAfile", caPath, certPath])
    #expect(verify.status == 0, "\(verify.output)")
    let caText = try runOpenSSL(["x509", "-in", caPath, "-noout", "-text"]).output
    #expect(caText.contains("Subject: CN = my-ca"))
    #expect(caText.contains("CA:TRUE"))
    #expect(caText.contains("Certificate Sign"))
    #expect(caText.contains("Public-Key: (2048 bit)"))
    let certText = try runOpenSSL(["x509", "-in", certPath, "-noout", "-text"]).output
    #expect(certText.contains("Issuer: CN = my-ca"))
    #expect(certText.contains("Subject: CN = web.example.com"))
    #expect(
      certText.contains("DNS:web, DNS:web.svc, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
    #expect(certText.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
    #expect(certText.contains("CA:FALSE"))
    let days = try runOpenSSL(["x509", "-in", certPath, "-noout", "-checkend", String(29 * 86_400)])
    #expect(days.status == 0)
    let expired = try runOpenSSL([
      "x509", "-in", certPath, "-noout", "-checkend", String(31 * 86_400),
    ])
    #expect(expired.status != 0)
    // The key belongs to the certificate.
    let certModulus = try runOpenSSL(["x509", "-in", certPath, "-noout", "-modulus"]).output
    let keyModulus = try runOpenSSL(["rsa", "-in", keyPath, "-noout", "-modulus"]).output
    #expect(certModulus == keyModulus)
  }

  @Test(
    "self-signed and with-key variants verify, for RSA, ECDSA and Ed25519 keys",
    arguments: ["rsa", "ecdsa", "ed25519"])
  func withKeys(type: String) throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = try renderHelmStyle(
      """
      {{- $key := genPrivateKey "\(type)" -}}
      {{- $ca := genCAWithKey "ca-\(type)" 10 $key -}}
      {{- $self := genSelfSignedCertWithKey "self" nil (list "self.local") 10 $key -}}
      {{- $leaf := genSignedCertWithKey "leaf" (list) nil 10 $ca $key -}}
      {{ $ca.Cert }}=====
      {{ $self.Cert }}=====
      {{ $leaf.Cert }}=====
      {{ eq $ca.Key $key }}
      """)
    let parts = output.components(separatedBy: "=====\n")
    guard parts.count == 4 else {
      Issue.record("unexpected output \(output)")
      return
    }
    let caPath = try writeFile(parts[0], "ca.pem", in: directory)
    let selfPath = try writeFile(parts[1], "self.pem", in: directory)
    let leafPath = try writeFile(parts[2], "leaf.pem", in: directory)
    #expect(try runOpenSSL(["verify", "-CAfile", caPath, leafPath]).status == 0)
    #expect(try runOpenSSL(["verify", "-CAfile", selfPath, selfPath]).status == 0)
    #expect(
      try runOpenSSL(["x509", "-in", selfPath, "-noout", "-text"]).output.contains("DNS:self.local")
    )
    #expect(parts[3] == "true")
  }

  @Test("genSelfSignedCert and buildCustomCert round-trip PEM through base64")
  func customCertificate() throws {
    let output = try renderHelmStyle(
      """
      {{- $c := genSelfSignedCert "x" nil nil 1 -}}
      {{- $b := buildCustomCert ($c.Cert | b64enc) ($c.Key | b64enc) -}}
      {{ eq $b.Cert $c.Cert }} {{ eq $b.Key $c.Key }} {{ typeOf $b }}
      """)
    #expect(output == "true true sprig.certificate")
    #expect(renderError("{{ buildCustomCert \"bm9wZQ==\" \"bm9wZQ==\" }}") != nil)
    #expect(
      renderError("{{ genSelfSignedCert \"x\" (list \"not-an-ip\") nil 1 }}")?.hasSuffix(
        "error parsing ip: not-an-ip") == true)
  }
}
