import Foundation

/// A throwaway certificate authority and a server certificate it signed for 127.0.0.1 and localhost,
/// made with the openssl command, for HTTPS test servers.
public struct GitTestCertificates: Sendable {
  /// The CA certificate (PEM) clients are told to trust.
  public let authorityCertificate: String
  /// The server's certificate (PEM).
  public let serverCertificate: String
  /// The server's private key (PEM).
  public let serverKey: String

  /// Generates the CA and the server certificate in `directory`.
  public init(directory: TemporaryDirectory, name: String = "tls") throws {
    let base = directory.file(name).path
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    authorityCertificate = base + "/ca.pem"
    serverCertificate = base + "/server.pem"
    serverKey = base + "/server-key.pem"
    let openssl = "/usr/bin/openssl"
    try GitTestProcess.run(
      openssl,
      [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=TripGen Test CA",
        "-keyout", base + "/ca-key.pem", "-out", authorityCertificate,
      ])
    try GitTestProcess.run(
      openssl,
      [
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", serverKey,
        "-out", base + "/server.csr",
      ])
    // libgit2's mbedTLS backend matches the host only against dNSName entries (not iPAddress ones),
    // so 127.0.0.1 is listed both ways.
    try "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1,DNS:localhost\n".write(
      toFile: base + "/san.ext", atomically: true, encoding: .utf8)
    try GitTestProcess.run(
      openssl,
      [
        "x509", "-req", "-in", base + "/server.csr", "-CA", authorityCertificate, "-CAkey",
        base + "/ca-key.pem", "-CAcreateserial", "-days", "2", "-extfile", base + "/san.ext",
        "-out", serverCertificate,
      ])
  }
}
