import Foundation

/// A throw-away certificate authority with a server and a client certificate signed by it,
/// generated with the `openssl` command (EC P-256 keys, valid for two days).
public struct TestPKI: Sendable {
  public let directory: String
  public var caCertificatePath: String { "\(directory)/ca.crt" }
  public var serverCertificatePath: String { "\(directory)/server.crt" }
  public var serverKeyPath: String { "\(directory)/server.key" }
  public var clientCertificatePath: String { "\(directory)/client.crt" }
  public var clientKeyPath: String { "\(directory)/client.key" }

  /// Generates the CA and certificates into `directory`. The server certificate names
  /// `serverNames` in its subjectAltName (IP addresses as IP entries, the rest as DNS names).
  public static func generate(
    in directory: String, serverNames: [String] = ["localhost", "127.0.0.1"],
    caName: String = "TripGen Test CA"
  ) async throws -> TestPKI {
    let pki = TestPKI(directory: directory)
    let openssl = "/usr/bin/openssl"
    let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    try await ToolRunner.run(
      openssl,
      ["req", "-x509"] + curve + [
        "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=\(caName)",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      ], in: directory)
    let alternativeNames = serverNames.map { name in
      name.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? "IP:\(name)" : "DNS:\(name)"
    }.joined(separator: ",")
    try await issue(
      "server", subject: "/CN=\(serverNames.first ?? "localhost")",
      extensions: "subjectAltName=\(alternativeNames)\nextendedKeyUsage=serverAuth\n",
      in: directory)
    try await issue(
      "client", subject: "/CN=tripgen-test-client",
      extensions: "extendedKeyUsage=clientAuth\n", in: directory)
    return pki
  }

  private static func issue(
    _ name: String, subject: String, extensions: String, in directory: String
  ) async throws {
    let openssl = "/usr/bin/openssl"
    try (extensions + "basicConstraints=CA:FALSE\n").write(
      toFile: "\(directory)/\(name).ext", atomically: true, encoding: .utf8)
    try await ToolRunner.run(
      openssl,
      [
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject,
      ], in: directory)
    try await ToolRunner.run(
      openssl,
      [
        "x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-days", "2",
        "-extfile", "\(name).ext", "-out", "\(name).crt",
      ], in: directory)
  }

  public var caCertificatePEM: String { Self.read(caCertificatePath) }
  public var clientCertificatePEM: String { Self.read(clientCertificatePath) }
  public var clientKeyPEM: String { Self.read(clientKeyPath) }

  private static func read(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
  }
}
