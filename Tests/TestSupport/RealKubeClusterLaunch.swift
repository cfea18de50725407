import Foundation
import Kube
import YAML

#if canImport(Glibc)
  import Glibc
#endif

extension RealKubeCluster {
  /// The start-up of one cluster: credentials, then each process in turn, each waited for. On
  /// failure ``abandon()`` stops what started and keeps the logs.
  final class Launch {
    let assets: String
    let directory: String
    private(set) var processes: [SpawnedProcess] = []
    private(set) var url = ""
    private(set) var version = ""
    private(set) var runsControllerManager = false
    /// The command line kube-apiserver started with, for ``RealKubeCluster/startAPIServer()`` to
    /// start it again on the same port, certificates and etcd.
    private(set) var apiServerArguments: [String] = []
    /// Where kube-apiserver is in ``processes``.
    private(set) var apiServerIndex = 0
    let adminToken: String
    var caCertificatePath: String { "\(directory)/pki/ca.crt" }
    private(set) var caCertificatePEM = ""
    var adminKubeconfigPath: String { "\(directory)/admin.kubeconfig" }
    private var etcdURL = ""

    /// How long each process may take to be ready. Generous: the machines that run the tests
    /// are often busy with builds.
    static let readyTimeout: Duration = .seconds(120)

    /// Checks the binaries are there, then makes the folder.
    init(assets: String) throws {
      for binary in ["etcd", "kube-apiserver"] {
        guard FileManager.default.isExecutableFile(atPath: "\(assets)/\(binary)") else {
          throw StartError(
            reason: "\(RealKubeCluster.assetsVariable)=\(assets) has no executable \(binary)",
            logPath: nil, logTail: "")
        }
      }
      self.assets = assets
      directory =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("real-kube-\(UUID().uuidString.prefix(8).lowercased())").path
      try FileManager.default.createDirectory(
        atPath: directory + "/pki", withIntermediateDirectories: true)
      var bytes = [UInt8](repeating: 0, count: 24)
      for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
      adminToken = bytes.map { String(format: "%02x", $0) }.joined()
    }

    var adminConfiguration: KubeClientConfiguration {
      var configuration = KubeClientConfiguration(
        server: url, tls: KubeTLSSettings(certificateAuthorityPEM: Array(caCertificatePEM.utf8)),
        authentication: .token(adminToken))
      configuration.queriesPerSecond = 0
      return configuration
    }

    func run(controllerManager wanted: Bool) async throws {
      runsControllerManager =
        wanted && FileManager.default.isExecutableFile(atPath: "\(assets)/kube-controller-manager")
      try await makeCredentials()
      try await startEtcd()
      try await startAPIServer()
      try RealKubeCluster.writeKubeconfig(
        path: adminKubeconfigPath, server: url, caPEM: caCertificatePEM, user: "admin",
        token: adminToken, namespace: "default")
      if runsControllerManager { try await startControllerManager() }
      let versionInfo = try await KubeRawAPI(configuration: adminConfiguration).json(
        "GET", "/version")
      version = versionInfo["gitVersion"]?.stringValue ?? ""
    }

    /// Stops the processes started so far and removes etcd's data; the logs stay.
    func abandon() {
      for process in processes.reversed() { process.stop(grace: 5) }
      processes.removeAll()
      try? FileManager.default.removeItem(atPath: directory + "/etcd-data")
    }

    /// The serving certificate (from a CA of its own, naming every address a client may use,
    /// the in-cluster Service names included), the service account signing key, and the static
    /// token file with the admin.
    private func makeCredentials() async throws {
      let pki = try await TestPKI.generate(
        in: directory + "/pki",
        serverNames: [
          "127.0.0.1", "localhost", "10.0.0.1", "kubernetes", "kubernetes.default",
          "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
        ], caName: "TripGen real-cluster test CA")
      caCertificatePEM = pki.caCertificatePEM
      let openssl = "/usr/bin/openssl"
      try await ToolRunner.run(
        openssl,
        [
          "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
          "service-account.key",
        ], in: directory + "/pki")
      try await ToolRunner.run(
        openssl,
        ["pkey", "-in", "service-account.key", "-pubout", "-out", "service-account.pub"],
        in: directory + "/pki")
      try "\(adminToken),admin,admin,\"system:masters\"\n".write(
        toFile: directory + "/pki/tokens.csv", atomically: true, encoding: .utf8)
    }

    private func startEtcd() async throws {
      let binary = "\(assets)/etcd"
      let help = try? Command.run([binary, "--help"])
      let noFsync =
        ((help?.standardOutput ?? "") + (help?.standardError ?? "")).contains("unsafe-no-fsync")
      try await startRetryingPorts(name: "etcd") {
        let client = try FreePort.pick()
        let peer = try FreePort.pick()
        try? FileManager.default.removeItem(atPath: self.directory + "/etcd-data")
        self.etcdURL = "http://127.0.0.1:\(client)"
        let arguments = [
          binary, "--name=default", "--data-dir=\(self.directory)/etcd-data",
          "--listen-client-urls=http://127.0.0.1:\(client)",
          "--advertise-client-urls=http://127.0.0.1:\(client)",
          "--listen-peer-urls=http://127.0.0.1:\(peer)",
          "--initial-advertise-peer-urls=http://127.0.0.1:\(peer)",
          "--initial-cluster=default=http://127.0.0.1:\(peer)", "--initial-cluster-state=new",
          "--log-level=warn",
        ]
        return arguments + (noFsync ? ["--unsafe-no-fsync"] : [])
      } ready: {
        let response = try? await KubeHTTPTransport().send(
          KubeRequest(method: "GET", url: self.etcdURL + "/health", timeout: 2))
        return response?.status == 200
      }
    }

    private func startAPIServer() async throws {
      let pki = directory + "/pki"
      apiServerIndex = try await startRetryingPorts(name: "kube-apiserver") {
        let port = try FreePort.pick()
        self.url = "https://127.0.0.1:\(port)"
        var arguments = [
          "\(self.assets)/kube-apiserver", "--etcd-servers=\(self.etcdURL)",
          "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=\(port)",
          "--tls-cert-file=\(pki)/server.crt", "--tls-private-key-file=\(pki)/server.key",
          "--token-auth-file=\(pki)/tokens.csv", "--authorization-mode=RBAC",
          "--service-account-issuer=https://127.0.0.1:\(port)",
          "--service-account-key-file=\(pki)/service-account.pub",
          "--service-account-signing-key-file=\(pki)/service-account.key",
          "--service-cluster-ip-range=\(RealKubeCluster.serviceClusterIPRange)",
          "--allow-privileged=true", "--profiling=false",
        ]
        if !self.runsControllerManager {
          arguments.append("--disable-admission-plugins=ServiceAccount")
        }
        self.apiServerArguments = arguments
        return arguments
      } ready: {
        let response = try? await KubeRawAPI(configuration: self.adminConfiguration).send(
          "GET", "/readyz", timeout: 5)
        return response?.status == 200
      }
    }

    private func startControllerManager() async throws {
      let pki = directory + "/pki"
      let arguments = [
        "\(assets)/kube-controller-manager", "--kubeconfig=\(adminKubeconfigPath)",
        "--leader-elect=false", "--secure-port=0",
        "--service-account-private-key-file=\(pki)/service-account.key",
        "--root-ca-file=\(pki)/ca.crt", "--use-service-account-credentials=false",
        "--controllers=\(RealKubeCluster.controllers.joined(separator: ","))",
      ]
      let process = try spawn(name: "kube-controller-manager", arguments)
      // The serviceaccount controller making the default namespace's account shows that the
      // controllers run and reach the apiserver.
      let admin = KubeRawAPI(configuration: adminConfiguration)
      try await waitReady(name: "kube-controller-manager", process: process) {
        let response = try? await admin.send(
          "GET", "/api/v1/namespaces/default/serviceaccounts/default")
        return response?.status == 200
      }
    }

    private func logPath(_ name: String) -> String { "\(directory)/\(name).log" }

    private func spawn(name: String, _ arguments: [String]) throws -> SpawnedProcess {
      let process = try Self.spawn(arguments, logPath: logPath(name), home: directory)
      processes.append(process)
      return process
    }

    /// Starts a process of the cluster, its output in `logPath`.
    static func spawn(_ arguments: [String], logPath: String, home: String) throws
      -> SpawnedProcess
    {
      try SpawnedProcess(
        arguments, environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home],
        outputPath: logPath)
    }

    /// Starts a process on ports picked just before, and starts it again on others when it
    /// exits saying a port was taken in between (by another test's server); returns its index in
    /// ``processes``.
    @discardableResult
    private func startRetryingPorts(
      name: String, arguments: () throws -> [String], ready: () async -> Bool
    ) async throws -> Int {
      for attempt in 1...3 {
        let process = try spawn(name: name, try arguments())
        do {
          try await waitReady(name: name, process: process, ready)
          return processes.count - 1
        } catch let error as StartError
          where attempt < 3 && process.hasExited
          && error.logTail.contains("address already in use")
        {
          processes.removeAll { $0 === process }
        }
      }
      // The third attempt's error is thrown above: never reached.
      preconditionFailure("startRetryingPorts made no attempt")
    }

    /// Polls `ready` every 100 ms; fails with the end of the process's log when the process
    /// exits first or ``readyTimeout`` passes.
    private func waitReady(
      name: String, process: SpawnedProcess, _ ready: () async -> Bool
    ) async throws {
      try await Self.waitReady(name: name, process: process, logPath: logPath(name), ready)
    }

    static func waitReady(
      name: String, process: SpawnedProcess, logPath: String, _ ready: () async -> Bool
    ) async throws {
      let clock = ContinuousClock()
      let deadline = clock.now + readyTimeout
      while true {
        if await ready() { return }
        if process.hasExited {
          throw StartError(
            reason: "\(name) exited with status \(process.wait())", logPath: logPath,
            logTail: tail(of: logPath))
        }
        if clock.now > deadline {
          throw StartError(
            reason: "\(name) was not ready after \(readyTimeout)", logPath: logPath,
            logTail: tail(of: logPath))
        }
        try await Task.sleep(for: .milliseconds(100))
      }
    }

    private static func tail(of path: String, lines: Int = 40) -> String {
      let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
      return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
        .joined(separator: "\n")
    }
  }
}
