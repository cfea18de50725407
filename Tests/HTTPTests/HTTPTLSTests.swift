import Foundation
import HTTP
import TestSupport
import Testing

/// TLS against a real nginx with a throw-away CA: verification, custom CAs, client certificates,
/// HTTP/2, and the server-name override.
@Suite struct HTTPTLSTests {
  let pkiDirectory: TemporaryDirectory
  let pki: TestPKI
  let nginx: NginxServer

  init() async throws {
    pkiDirectory = try TemporaryDirectory(prefix: "tripgen-pki")
    pki = try await TestPKI.generate(in: pkiDirectory.path)
    // A directory of the test's own, served as the site.
    let site = "\(pkiDirectory.path)/site"
    try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
    try "served over TLS\n".write(toFile: "\(site)/index.txt", atomically: true, encoding: .utf8)
    nginx = try await NginxServer(options: .init(tls: pki, http2: true, documentRoot: site))
  }

  private func client(_ tls: TLSConfiguration) -> HTTPClient {
    HTTPClient(configuration: HTTPClientConfiguration(tls: tls, retryPolicy: .never))
  }

  @Test func customCAFromFileVerifiesAndHTTP2IsNegotiated() async throws {
    let client = client(
      TLSConfiguration(certificateAuthorities: .file(path: pki.caCertificatePath)))
    let response = try await client.get(nginx.url("/index.txt"))
    #expect(response.status == 200)
    #expect(response.text == "served over TLS\n")
    #expect(response.version == .http2)
    let localhost = try await client.get(nginx.url("/index.txt", host: "localhost"))
    #expect(localhost.status == 200)
  }

  @Test func uploadFromFileOverHTTP2() async throws {
    let local = try TemporaryDirectory()
    let source = local.file("blob.bin")
    let bytes = Data((0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try bytes.write(to: source)
    let client = client(
      TLSConfiguration(certificateAuthorities: .file(path: pki.caCertificatePath)))
    let response = try await client.execute(
      HTTPRequest(method: .put, url: nginx.url("/uploads/blob.bin"), body: .file(path: source.path))
    )
    #expect(response.status == 201)
    #expect(response.version == .http2)
    let stored = try Data(contentsOf: URL(fileURLWithPath: "\(nginx.uploadsDirectory)/blob.bin"))
    #expect(stored == bytes)
  }

  @Test func customCAFromPEMDataVerifies() async throws {
    let client = client(TLSConfiguration(certificateAuthorities: .pem(pki.caCertificatePEM)))
    let response = try await client.get(nginx.url("/index.txt"))
    #expect(response.text == "served over TLS\n")
  }

  @Test func unknownCAFailsWithAClearError() async throws {
    let client = client(TLSConfiguration())  // system CAs: the test CA is not among them
    await #expect {
      try await client.get(nginx.url("/index.txt"))
    } throws: { error in
      guard case .tlsFailure(.serverCertificateNotTrusted, "127.0.0.1", _) = error as? HTTPError
      else { return false }
      return "\(error)".hasPrefix("TLS certificate of 127.0.0.1 not trusted: ")
    }
  }

  @Test func skippingVerificationOnlyWhenAsked() async throws {
    let client = client(TLSConfiguration(skipsVerification: true))
    #expect(try await client.get(nginx.url("/index.txt")).status == 200)
  }

  @Test func unreadableCAFileIsReported() async throws {
    let client = client(
      TLSConfiguration(certificateAuthorities: .file(path: "/nonexistent/ca.crt")))
    await #expect {
      try await client.get(nginx.url("/index.txt"))
    } throws: { error in
      guard case .tlsFailure(.invalidCertificateAuthorities, _, _) = error as? HTTPError else {
        return false
      }
      return true
    }
  }

  @Test func concurrentRequestsAreMultiplexedOnOneHTTP2Connection() async throws {
    let client = client(
      TLSConfiguration(certificateAuthorities: .file(path: pki.caCertificatePath)))
    let versions = try await withThrowingTaskGroup(of: HTTPVersion.self) { group in
      for _ in 0..<6 {
        group.addTask { try await client.get(nginx.url("/index.txt")).version }
      }
      return try await group.reduce(into: [HTTPVersion]()) { $0.append($1) }
    }
    #expect(versions == Array(repeating: .http2, count: 6))
    let connections = nginx.loggedConnectionNumbers()
    #expect(connections.count == 6)
    #expect(Set(connections).count == 1)
  }

  @Test func serverNameOverrideVerifiesAgainstAnotherName() async throws {
    // A server whose certificate names only "kubernetes.test", reached at 127.0.0.1, as a
    // kubeconfig with tls-server-name does.
    let directory = try TemporaryDirectory(prefix: "tripgen-pki")
    let named = try await TestPKI.generate(in: directory.path, serverNames: ["kubernetes.test"])
    let server = try await NginxServer(options: .init(tls: named))
    try "named\n".write(toFile: "\(server.documentRoot)/n.txt", atomically: true, encoding: .utf8)
    let trustOnly = TLSConfiguration(certificateAuthorities: .pem(named.caCertificatePEM))
    await #expect {
      try await client(trustOnly).get(server.url("/n.txt"))
    } throws: { error in
      guard case .tlsFailure(.serverCertificateNotTrusted, _, _) = error as? HTTPError else {
        return false
      }
      return true
    }
    var withName = trustOnly
    withName.serverName = "kubernetes.test"
    let response = try await client(withName).get(server.url("/n.txt"))
    #expect(response.text == "named\n")
    #expect(response.url.host() == "kubernetes.test")
  }
}

@Suite struct HTTPClientCertificateTests {
  let pkiDirectory: TemporaryDirectory
  let pki: TestPKI
  let nginx: NginxServer

  init() async throws {
    pkiDirectory = try TemporaryDirectory(prefix: "tripgen-pki")
    pki = try await TestPKI.generate(in: pkiDirectory.path)
    nginx = try await NginxServer(
      options: .init(
        tls: pki, requiresClientCertificate: true,
        extraServerDirectives: "location = /whoami { return 200 \"$ssl_client_s_dn\\n\"; }"))
  }

  private func client(_ identity: TLSConfiguration.ClientIdentity?) -> HTTPClient {
    HTTPClient(
      configuration: HTTPClientConfiguration(
        tls: TLSConfiguration(
          certificateAuthorities: .file(path: pki.caCertificatePath), clientIdentity: identity),
        retryPolicy: .never))
  }

  @Test func clientCertificateFromFiles() async throws {
    let client = client(
      .files(certificatePath: pki.clientCertificatePath, keyPath: pki.clientKeyPath))
    let response = try await client.get(nginx.url("/whoami"))
    #expect(response.status == 200)
    #expect(response.text == "CN=tripgen-test-client\n")
  }

  @Test func clientCertificateFromPEMData() async throws {
    let client = client(.pem(certificate: pki.clientCertificatePEM, key: pki.clientKeyPEM))
    let response = try await client.get(nginx.url("/whoami"))
    #expect(response.text == "CN=tripgen-test-client\n")
  }

  @Test func missingClientCertificateIsRejectedClearly() async throws {
    // nginx completes the TLS 1.3 handshake and answers 400, naming the missing certificate.
    let response = try await client(nil).get(nginx.url("/whoami"))
    #expect(response.status == 400)
    do {
      try response.ensureSuccess()
      Issue.record("400 accepted")
    } catch {
      #expect(error.description.contains("HTTP 400 from \(nginx.url("/whoami"))"))
      #expect(error.description.contains("No required SSL certificate was sent"))
    }
  }

  @Test func malformedClientKeyIsReported() async throws {
    let client = client(.pem(certificate: pki.clientCertificatePEM, key: "not a key"))
    await #expect {
      try await client.get(nginx.url("/whoami"))
    } throws: { error in
      guard case .tlsFailure(.invalidClientIdentity, "127.0.0.1", _) = error as? HTTPError else {
        return false
      }
      return "\(error)".hasPrefix("couldn't use the client certificate or key for 127.0.0.1: ")
    }
  }
}
