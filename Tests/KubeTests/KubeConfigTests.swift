import Foundation
import Kube
import TestSupport
import Testing

/// Reading kubeconfig files: fields, merging as client-go does, relative paths, errors.
@Suite struct KubeConfigTests {
  @Test func readsEveryClusterAndUserField() throws {
    let directory = try TemporaryDirectory(prefix: "kubeconfig")
    try "CA PEM".write(toFile: directory.file("ca.pem").path, atomically: true, encoding: .utf8)
    try "token-from-file".write(
      toFile: directory.file("token").path, atomically: true, encoding: .utf8)
    let config = try KubeConfig.parse(
      """
      apiVersion: v1
      kind: Config
      current-context: a
      clusters:
      - name: data
        cluster:
          server: https://aks.example:443/
          certificate-authority-data: \(Data("CA DATA".utf8).base64EncodedString())
          tls-server-name: kubernetes.default
          proxy-url: http://proxy.example:3128
      - name: file
        cluster: {server: "https://10.0.0.1", certificate-authority: ca.pem}
      - name: insecure
        cluster: {server: "https://10.0.0.2", insecure-skip-tls-verify: true}
      users:
      - name: basic
        user: {username: admin, password: pw}
      - name: tokenfile
        user: {tokenFile: token}
      - name: certdata
        user:
          client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
          client-key-data: \(Data("KEY".utf8).base64EncodedString())
      contexts:
      - name: a
        context: {cluster: data, user: basic, namespace: tripgen-dev}
      - name: b
        context: {cluster: file, user: tokenfile}
      - name: c
        context: {cluster: insecure, user: certdata}
      """, file: directory.file("config").path)
    let a = try KubeClientConfiguration.fromKubeconfig(config)
    #expect(a.server == "https://aks.example:443")
    #expect(a.tls.certificateAuthorityPEM == Array("CA DATA".utf8))
    #expect(a.tls.serverName == "kubernetes.default")
    #expect(a.proxyURL == "http://proxy.example:3128")
    #expect(a.authentication == .basic(username: "admin", password: "pw"))
    #expect(a.namespace == "tripgen-dev")
    let b = try KubeClientConfiguration.fromKubeconfig(config, context: "b")
    #expect(b.tls.certificateAuthorityPEM == Array("CA PEM".utf8))
    #expect(b.authentication == .tokenFile(directory.file("token").path))
    #expect(b.namespace == "default")
    let c = try KubeClientConfiguration.fromKubeconfig(config, context: "c")
    #expect(c.tls.insecureSkipVerify)
    #expect(c.tls.clientCertificatePEM == Array("CERT".utf8))
    #expect(c.tls.clientKeyPEM == Array("KEY".utf8))
  }

  @Test func kubeconfigPathsMergeWithTheFirstDefinitionWinning() throws {
    let directory = try TemporaryDirectory(prefix: "kubeconfig")
    let first = directory.file("first").path
    let second = directory.file("second").path
    try """
    clusters: [{name: shared, cluster: {server: "https://first"}}]
    users: [{name: me, user: {token: first-token}}]
    contexts: [{name: one, context: {cluster: shared, user: me}}]
    """.write(toFile: first, atomically: true, encoding: .utf8)
    try """
    current-context: two
    clusters:
    - {name: shared, cluster: {server: "https://second"}}
    - {name: extra, cluster: {server: "https://extra"}}
    users: [{name: me, user: {token: second-token}}]
    contexts:
    - {name: one, context: {cluster: extra, user: me}}
    - {name: two, context: {cluster: shared, user: me, namespace: ns2}}
    """.write(toFile: second, atomically: true, encoding: .utf8)
    let missing = directory.file("missing").path
    let environment = ["KUBECONFIG": "\(first):\(missing):\(second)", "HOME": directory.path]
    // current-context comes from the second file (the first sets none); the cluster and user
    // named "shared" and "me" come from the first file, which defined them first.
    let merged = try KubeClientConfiguration.load(environment: environment)
    #expect(merged.server == "https://first")
    #expect(merged.authentication == .token("first-token"))
    #expect(merged.namespace == "ns2")
    let one = try KubeClientConfiguration.load(context: "one", environment: environment)
    #expect(one.server == "https://first")
    // --kubeconfig wins over KUBECONFIG.
    let explicit = try KubeClientConfiguration.load(kubeconfig: second, environment: environment)
    #expect(explicit.authentication == .token("second-token"))
  }

  @Test func errorsNameTheFileAndField() throws {
    let file = "/tmp/tripgen-test-kubeconfig"
    #expect(
      throws: KubeConfigError.invalidField(
        file: file, field: "clusters[0].name", reason: "is required")
    ) {
      try KubeConfig.parse("clusters: [{cluster: {server: x}}]", file: file)
    }
    #expect(
      throws: KubeConfigError.invalidField(
        file: file, field: "users[0].user.client-certificate-data", reason: "is not valid base64")
    ) {
      try KubeConfig.parse("users: [{name: u, user: {client-certificate-data: '%%%'}}]", file: file)
    }
    let missingCA = KubeConfigError.invalidField(
      file: file, field: "clusters[0].cluster.certificate-authority",
      reason: "cannot read /tmp/no-such-ca.pem")
    #expect(throws: missingCA) {
      try KubeConfig.parse(
        "clusters: [{name: c, cluster: {server: x, certificate-authority: no-such-ca.pem}}]",
        file: file)
    }
    #expect(
      "\(missingCA)"
        == "/tmp/tripgen-test-kubeconfig: clusters[0].cluster.certificate-authority: cannot read /tmp/no-such-ca.pem"
    )
    let config = try KubeConfig.parse(
      "contexts: [{name: a, context: {cluster: gone, user: u}}]", file: file)
    #expect(throws: KubeConfigError.noCurrentContext(files: [file])) {
      try KubeClientConfiguration.fromKubeconfig(config)
    }
    #expect(throws: KubeConfigError.notDefined(what: "cluster", name: "gone", files: [file])) {
      try KubeClientConfiguration.fromKubeconfig(config, context: "a")
    }
    #expect(throws: KubeConfigError.notDefined(what: "context", name: "zzz", files: [file])) {
      try KubeClientConfiguration.fromKubeconfig(config, context: "zzz")
    }
    #expect(throws: KubeConfigError.self) {
      try KubeConfig.parse(
        "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}}}]",
        file: file)
    }
    #expect(throws: KubeConfigError.noConfiguration(searched: ["/nonexistent/.kube/config"])) {
      try KubeClientConfiguration.load(environment: ["HOME": "/nonexistent"])
    }
  }

  @Test func execCommandWithASlashIsRelativeToTheKubeconfig() throws {
    let config = try KubeConfig.parse(
      """
      users:
      - name: a
        user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin}}
      - name: b
        user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: kubelogin}}
      """, file: "/etc/kube/config")
    #expect(config.users["a"]?.exec?.command == "/etc/kube/bin/plugin")
    #expect(config.users["b"]?.exec?.command == "kubelogin")
  }

  @Test func inClusterNeedsTheServiceEnvironmentAndFiles() throws {
    let directory = try TemporaryDirectory(prefix: "sa")
    #expect(throws: KubeConfigError.self) {
      try KubeClientConfiguration.inCluster(
        environment: [:], paths: .init(directory: directory.path))
    }
    let environment = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]
    #expect(
      throws: KubeConfigError.inCluster(
        reason: "cannot read the service account token \(directory.path)/token")
    ) {
      try KubeClientConfiguration.inCluster(
        environment: environment, paths: .init(directory: directory.path))
    }
    try "t".write(toFile: directory.file("token").path, atomically: true, encoding: .utf8)
    try "ca".write(toFile: directory.file("ca.crt").path, atomically: true, encoding: .utf8)
    let configuration = try KubeClientConfiguration.inCluster(
      environment: environment, paths: .init(directory: directory.path))
    #expect(configuration.server == "https://[fd00::1]:443")
    #expect(configuration.namespace == "default")
  }
}
