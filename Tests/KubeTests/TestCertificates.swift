import Foundation
import TestSupport

/// A CA, a server certificate for 127.0.0.1 and a client certificate, made with `openssl` for
/// one test run.
struct TestCertificates {
  let directory: TemporaryDirectory
  let caPEM: String
  let serverCertificatePEM: String
  let serverKeyPEM: String
  let clientCertificatePEM: String
  let clientKeyPEM: String
  /// A second CA that signed nothing here: trusting it must fail the handshake.
  let otherCAPEM: String

  var caFile: String { directory.file("ca.crt").path }
  var clientCertificateFile: String { directory.file("client.crt").path }
  var clientKeyFile: String { directory.file("client.key").path }

  /// Generating keys costs about a second, so every test shares one set.
  static let shared: Result<TestCertificates, any Error> = Result { try TestCertificates() }

  private init() throws {
    directory = try TemporaryDirectory(prefix: "kube-certs")
    let d = directory.path
    func openssl(_ arguments: [String]) throws { try Command.check(["openssl"] + arguments) }
    for ca in ["ca", "other-ca"] {
      try openssl([
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/\(ca).key", "-out",
        "\(d)/\(ca).crt", "-days", "2", "-subj", "/CN=tripgen-test-\(ca)",
      ])
    }
    try "subjectAltName=IP:127.0.0.1,DNS:kubernetes.test\n".write(
      toFile: "\(d)/server.ext", atomically: true, encoding: .utf8)
    try openssl([
      "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/server.key", "-out",
      "\(d)/server.csr",
      "-subj", "/CN=kube-apiserver",
    ])
    try openssl([
      "x509", "-req", "-in", "\(d)/server.csr", "-CA", "\(d)/ca.crt", "-CAkey", "\(d)/ca.key",
      "-CAcreateserial", "-out", "\(d)/server.crt", "-days", "2", "-extfile", "\(d)/server.ext",
    ])
    try openssl([
      "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/client.key", "-out",
      "\(d)/client.csr",
      "-subj", "/O=system:masters/CN=tripgen-admin",
    ])
    try openssl([
      "x509", "-req", "-in", "\(d)/client.csr", "-CA", "\(d)/ca.crt", "-CAkey", "\(d)/ca.key",
      "-CAcreateserial", "-out", "\(d)/client.crt", "-days", "2",
    ])
    func read(_ name: String) throws -> String {
      try String(contentsOfFile: "\(d)/\(name)", encoding: .utf8)
    }
    caPEM = try read("ca.crt")
    otherCAPEM = try read("other-ca.crt")
    serverCertificatePEM = try read("server.crt")
    serverKeyPEM = try read("server.key")
    clientCertificatePEM = try read("client.crt")
    clientKeyPEM = try read("client.key")
  }
}
