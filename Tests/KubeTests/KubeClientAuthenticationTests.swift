import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// Every way a kubeconfig or a pod authenticates, against the test server over HTTP and HTTPS.
@Suite struct KubeClientAuthenticationTests {
  private func tlsOptions(_ certificates: TestCertificates, clientCA: Bool) -> KubeAPIServer.TLS {
    KubeAPIServer.TLS(
      certificatePEM: certificates.serverCertificatePEM, privateKeyPEM: certificates.serverKeyPEM,
      clientCAPEM: clientCA ? certificates.caPEM : nil)
  }

  @Test func bearerTokenFromAKubeconfigAndA401ThatNamesNoToken() async throws {
    let options = KubeAPIServer.Options(
      tokens: ["s3cret-token": "alice"], requireAuthentication: true)
    try await withServer(options) { server in
      let directory = try TemporaryDirectory(prefix: "kubeconfig")
      let file = directory.file("config").path
      try """
      apiVersion: v1
      kind: Config
      current-context: dev
      clusters:
      - name: test
        cluster: {server: "\(server.url)"}
      contexts:
      - name: dev
        context: {cluster: test, user: alice, namespace: tripgen-dev}
      - name: stale
        context: {cluster: test, user: expired}
      users:
      - name: alice
        user: {token: s3cret-token}
      - name: expired
        user: {token: old-token}
      """.write(toFile: file, atomically: true, encoding: .utf8)
      let configuration = try KubeClientConfiguration.load(kubeconfig: file, environment: [:])
      #expect(configuration.namespace == "tripgen-dev")
      let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
      let namespaces = try await client.resource(named: "ns")
      let list = try await client.list(namespaces)
      #expect(list.items.contains { $0.at("metadata.name") == "default" })
      #expect(server.requestLog.last?.user == "alice")

      let stale = KubeClient(
        configuration: try KubeClientConfiguration.load(
          kubeconfig: file, context: "stale", environment: [:]),
        transport: KubeHTTPTransport())
      let error = await #expect(throws: KubeError.self) { try await stale.resource(named: "ns") }
      #expect(error?.status?.code == 401)
      let text = error.map { "\($0)" } ?? ""
      #expect(text.contains("Unauthorized"))
      #expect(text.contains("credentials were refused"))
      #expect(!text.contains("old-token"))
    }
  }

  @Test func clientCertificateFilesRelativeToTheKubeconfigOverHTTPS() async throws {
    let certificates = try TestCertificates.shared.get()
    try await withServer(
      .init(tls: tlsOptions(certificates, clientCA: true), requireAuthentication: true)
    ) { server in
      let directory = try TemporaryDirectory(prefix: "kubeconfig")
      try FileManager.default.createDirectory(
        atPath: directory.file("pki").path, withIntermediateDirectories: true)
      for (name, source) in [
        ("ca.crt", certificates.caFile), ("client.crt", certificates.clientCertificateFile),
        ("client.key", certificates.clientKeyFile),
      ] {
        try FileManager.default.copyItem(atPath: source, toPath: directory.file("pki/\(name)").path)
      }
      let file = directory.file("config").path
      try """
      apiVersion: v1
      kind: Config
      current-context: aks
      clusters:
      - name: aks
        cluster:
          server: \(server.url)
          certificate-authority: pki/ca.crt
      contexts:
      - name: aks
        context: {cluster: aks, user: admin}
      users:
      - name: admin
        user:
          client-certificate: pki/client.crt
          client-key: pki/client.key
      """.write(toFile: file, atomically: true, encoding: .utf8)
      let configuration = try KubeClientConfiguration.load(kubeconfig: file, environment: [:])
      let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
      let created = try await client.apply(configMap("settings"), fieldManager: "tripgen")
      #expect(created.created)
      #expect(server.requestLog.last?.user == "tripgen-admin")
    }
  }

  @Test func aCAThatDidNotSignTheServerFailsClearly() async throws {
    let certificates = try TestCertificates.shared.get()
    try await withServer(.init(tls: tlsOptions(certificates, clientCA: false))) { server in
      var configuration = KubeClientConfiguration(
        server: server.url,
        tls: KubeTLSSettings(certificateAuthorityPEM: Array(certificates.otherCAPEM.utf8)))
      configuration.queriesPerSecond = 0
      let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
      let error = await #expect(throws: KubeError.self) { try await client.restMapper() }
      guard case .transport(let method, let url, let reason)? = error else {
        Issue.record("expected a transport error, got \(String(describing: error))")
        return
      }
      #expect(method == "GET")
      #expect(url == server.url + "/api")
      #expect(
        reason.lowercased().contains("certificate") || reason.contains("handshake"), "\(reason)")
      // The same server with the right CA, and with verification skipped, works.
      configuration.tls.certificateAuthorityPEM = Array(certificates.caPEM.utf8)
      _ = try await KubeClient(configuration: configuration, transport: KubeHTTPTransport())
        .restMapper()
      configuration.tls = KubeTLSSettings(insecureSkipVerify: true)
      _ = try await KubeClient(configuration: configuration, transport: KubeHTTPTransport())
        .restMapper()
    }
  }

  @Test func execPluginCredentialIsCachedUntilItExpires() async throws {
    let options = KubeAPIServer.Options(
      tokens: ["entra-token": "user@example.com"], requireAuthentication: true)
    try await withServer(options) { server in
      let directory = try TemporaryDirectory(prefix: "exec")
      let script = directory.file("bin/kubelogin").path
      try FileManager.default.createDirectory(
        atPath: directory.file("bin").path, withIntermediateDirectories: true)
      // The plugin records its runs and the ExecCredential input it was given, then answers with
      // a token that expires after the time the test sets.
      try """
      #!/bin/sh
      echo run >> "\(directory.path)/runs"
      printf '%s' "$KUBERNETES_EXEC_INFO" > "\(directory.path)/input.json"
      expiry=$(date -u -d "@$(( $(date +%s) + $EXPIRES_IN ))" +%Y-%m-%dT%H:%M:%SZ)
      printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"entra-token","expirationTimestamp":"%s"}}' "$expiry"
      """.write(toFile: script, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
      func config(expiresIn: Int) throws -> KubeClientConfiguration {
        try KubeClientConfiguration.fromKubeconfig(
          KubeConfig.parse(
            """
            current-context: aks
            clusters: [{name: aks, cluster: {server: "\(server.url)"}}]
            contexts: [{name: aks, context: {cluster: aks, user: entra}}]
            users:
            - name: entra
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/kubelogin
                  args: [get-token, --login, azurecli]
                  env: [{name: EXPIRES_IN, value: "\(expiresIn)"}]
                  provideClusterInfo: true
                  interactiveMode: Never
            """, file: directory.file("config").path))
      }
      func runs() -> Int {
        ((try? String(contentsOfFile: directory.file("runs").path, encoding: .utf8)) ?? "")
          .split(separator: "\n").count
      }
      var lasting = try config(expiresIn: 3600)
      lasting.queriesPerSecond = 0
      let client = KubeClient(configuration: lasting, transport: KubeHTTPTransport())
      _ = try await client.restMapper()
      _ = try await client.list(try await client.resource(named: "cm"))
      #expect(runs() == 1)
      let input = try KubeJSON.decode(Array(try Data(contentsOf: directory.file("input.json"))))
      #expect(input["kind"] == "ExecCredential")
      #expect(input["apiVersion"] == "client.authentication.k8s.io/v1")
      #expect(input.at("spec.interactive") == false)
      #expect(input.at("spec.cluster.server")?.stringValue == server.url)
      #expect(server.requestLog.last?.user == "user@example.com")

      // A credential about to expire is renewed before each use.
      var brief = try config(expiresIn: 2)
      brief.queriesPerSecond = 0
      let renewing = KubeClient(configuration: brief, transport: KubeHTTPTransport())
      _ = try await renewing.list(try await renewing.resource(named: "cm"))
      _ = try await renewing.list(try await renewing.resource(named: "cm"))
      #expect(runs() >= 3)
    }
  }

  @Test func execPluginClientCertificateOverHTTPS() async throws {
    let certificates = try TestCertificates.shared.get()
    try await withServer(
      .init(tls: tlsOptions(certificates, clientCA: true), requireAuthentication: true)
    ) {
      server in
      let directory = try TemporaryDirectory(prefix: "exec-cert")
      let credential: JSONValue = [
        "apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
        "status": [
          "clientCertificateData": .string(certificates.clientCertificatePEM),
          "clientKeyData": .string(certificates.clientKeyPEM),
        ],
      ]
      try Data(KubeJSON.encode(credential)).write(to: directory.file("credential.json"))
      let script = directory.file("plugin").path
      try "#!/bin/sh\ncat \"\(directory.file("credential.json").path)\"\n".write(
        toFile: script, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
      var configuration = KubeClientConfiguration(
        server: server.url,
        tls: KubeTLSSettings(certificateAuthorityPEM: Array(certificates.caPEM.utf8)),
        authentication: .exec(KubeExecConfig(command: script)))
      configuration.queriesPerSecond = 0
      let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
      _ = try await client.list(try await client.resource(named: "cm"))
      #expect(server.requestLog.last?.user == "tripgen-admin")
      #expect(await client.execPluginRuns == 1)
    }
  }

  @Test func execPluginFailureShowsItsMessageAndInstallHintButNeverItsOutput() async throws {
    let directory = try TemporaryDirectory(prefix: "exec")
    let script = directory.file("plugin").path
    try """
    #!/bin/sh
    echo '{"status":{"token":"leaked-token"}}'
    echo "AADSTS700082: the refresh token has expired" >&2
    exit 1
    """.write(toFile: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
    let configuration = KubeClientConfiguration(
      server: "http://127.0.0.1:1",
      authentication: .exec(
        KubeExecConfig(command: script, installHint: "install kubelogin: az aks install-cli")))
    let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
    let error = await #expect(throws: KubeExecPluginError.self) { try await client.restMapper() }
    let text = error.map { "\($0)" } ?? ""
    #expect(text.contains("exited with status 1: AADSTS700082: the refresh token has expired"))
    #expect(text.contains("install kubelogin"))
    #expect(!text.contains("leaked-token"))
  }

  @Test func inClusterServiceAccountWithARotatedToken() async throws {
    let certificates = try TestCertificates.shared.get()
    let options = KubeAPIServer.Options(
      tls: tlsOptions(certificates, clientCA: false),
      tokens: ["token-1": "system:serviceaccount:tripgen-dev:tripgen", "admin-token": "admin"],
      requireAuthentication: true)
    try await withServer(options) { server in
      let directory = try TemporaryDirectory(prefix: "serviceaccount")
      try "token-1\n".write(toFile: directory.file("token").path, atomically: true, encoding: .utf8)
      try certificates.caPEM.write(
        toFile: directory.file("ca.crt").path, atomically: true, encoding: .utf8)
      try "tripgen-dev".write(
        toFile: directory.file("namespace").path, atomically: true, encoding: .utf8)
      var configuration = try KubeClientConfiguration.load(
        environment: [
          "KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(server.port),
        ],
        inCluster: .init(directory: directory.path))
      #expect(configuration.server == server.url)
      #expect(configuration.namespace == "tripgen-dev")
      configuration.queriesPerSecond = 0
      // RBAC applies to the service account: an administrator lets it read ConfigMaps.
      var adminConfiguration = configuration
      adminConfiguration.authentication = .token("admin-token")
      try await grant(
        KubeClient(configuration: adminConfiguration, transport: KubeHTTPTransport()),
        [rule(["list"], ["configmaps"])], to: ("tripgen-dev", "tripgen"), in: "default")
      let client = KubeClient(configuration: configuration, transport: KubeHTTPTransport())
      _ = try await client.restMapper()
      // The kubelet rotates the token; the old one stops working. The client reads the file
      // again after the 401 and carries on.
      try "token-2\n".write(toFile: directory.file("token").path, atomically: true, encoding: .utf8)
      server.acceptToken("token-2", user: "system:serviceaccount:tripgen-dev:tripgen")
      server.revokeToken("token-1")
      _ = try await client.list(
        try await client.resource(named: "configmaps"), namespace: "default")
      let log = server.requestLog.suffix(2)
      #expect(log.map(\.user) == ["-", "system:serviceaccount:tripgen-dev:tripgen"])
    }
  }
}
