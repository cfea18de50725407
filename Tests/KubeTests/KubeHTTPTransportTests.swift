import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// The product's transport (the HTTP module over libcurl) against the test API server.
@Suite struct KubeHTTPTransportTests {
  @Test func clientCertificateOverHTTPSAndEveryOperation() async throws {
    let certificates = try TestCertificates.shared.get()
    let tls = KubeAPIServer.TLS(
      certificatePEM: certificates.serverCertificatePEM, privateKeyPEM: certificates.serverKeyPEM,
      clientCAPEM: certificates.caPEM)
    try await withServer(.init(tls: tls, requireAuthentication: true)) { server in
      var configuration = try KubeClientConfiguration.fromKubeconfig(
        KubeConfig.parse(
          """
          current-context: aks
          clusters: [{name: aks, cluster: {server: "\(server.url)", certificate-authority: \(certificates.caFile)}}]
          contexts: [{name: aks, context: {cluster: aks, user: admin}}]
          users:
          - name: admin
            user: {client-certificate: \(certificates.clientCertificateFile), client-key: \(certificates.clientKeyFile)}
          """, file: "/tmp/kubeconfig"))
      configuration.queriesPerSecond = 0
      let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
      let outcomes = try await client.applyAll(
        [deployment("user-service")], fieldManager: "tripgen")
      #expect(outcomes.map(\.line) == ["deployment.apps/user-service created"])
      #expect(server.requestLog.last?.user == "tripgen-admin")
      let deployments = try await client.resource(named: "deploy")
      let list = try await client.listAll(deployments)
      #expect(list.items.map { $0.at("metadata.name") } == ["user-service"])
      // Watches stream over TLS with a client certificate too.
      var iterator = client.watch(deployments, resourceVersion: list.resourceVersion)
        .makeAsyncIterator()
      try await waitUntil { server.openWatchCount == 1 }
      _ = try await client.apply(deployment("user-service", replicas: 5), fieldManager: "tripgen")
      guard case .modified(let object)? = try await iterator.next() else {
        Issue.record("expected a MODIFIED event")
        return
      }
      #expect(object.at("spec.replicas") == 5)
      try await client.delete(deployments, name: "user-service")
      #expect(try await client.getIfPresent(deployments, name: "user-service") == nil)
    }
  }

  @Test func aWrongCAAndAMissingProxyFailClearly() async throws {
    let certificates = try TestCertificates.shared.get()
    let tls = KubeAPIServer.TLS(
      certificatePEM: certificates.serverCertificatePEM, privateKeyPEM: certificates.serverKeyPEM)
    try await withServer(.init(tls: tls)) { server in
      var configuration = KubeClientConfiguration(
        server: server.url,
        tls: KubeTLSSettings(certificateAuthorityPEM: Array(certificates.otherCAPEM.utf8)))
      configuration.queriesPerSecond = 0
      let error = await #expect(throws: KubeError.self) {
        try await KubeClient(
          configuration: configuration, transport: KubeHTTPTransport(), maxRetries: 0
        )
        .restMapper()
      }
      let text = error.map { "\($0)" } ?? ""
      #expect(text.contains("GET \(server.url)/api"))
      #expect(text.lowercased().contains("certificate"), "\(text)")
      configuration.tls.certificateAuthorityPEM = Array(certificates.caPEM.utf8)
      // proxy-url is used: a proxy that is not there fails the request (its password unshown).
      configuration.proxyURL = "http://user:secret@127.0.0.1:\(try FreePort.pick())"
      let proxyError = await #expect(throws: KubeError.self) {
        try await KubeClient(
          configuration: configuration, transport: KubeHTTPTransport(), maxRetries: 0
        )
        .restMapper()
      }
      #expect("\(proxyError!)".contains("GET \(server.url)/api"))
      #expect(!"\(proxyError!)".contains("secret"))
    }
  }
}
