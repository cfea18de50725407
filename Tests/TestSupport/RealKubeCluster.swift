import Foundation
import Kube
import Synchronization
import YAML

#if canImport(Glibc)
  import Glibc
#endif

/// A real Kubernetes control plane for tests, by the envtest convention: etcd, kube-apiserver and,
/// when present, kube-controller-manager from the folder the `KUBEBUILDER_ASSETS` variable names,
/// on 127.0.0.1 and free ports, with their state and logs in a temporary folder.
///
/// The in-process ``KubeAPIServer`` is quick and scriptable but a double; this is the thing itself,
/// for what a double cannot vouch for: RBAC decisions and their exact 403 texts, admission and
/// defaulting, the controllers that turn Deployments and Jobs into pods and report their status.
/// There is no kubelet and no scheduler: a ``PodStandIn`` binds pods to a Node and writes their
/// status. Its public surface follows the test server's (`url`, `stop()`), so a test body can run
/// against either.
///
/// How it is set up:
/// - etcd with `--unsafe-no-fsync` when the binary has it (a test cluster need not survive a crash);
/// - kube-apiserver serving a certificate from a throw-away CA (``TestPKI``), authenticating an admin
///   token (user `admin` in group `system:masters`) from a static token file, authorizing with RBAC
///   only, signing service account tokens with an RSA key made by openssl;
/// - kube-controller-manager, when the folder has it, as the admin, with the controllers in
///   ``controllers``. Without it the ServiceAccount admission plugin is off: it refuses pods until the
///   serviceaccount controller has made the namespace's `default` account, and nothing would.
///
/// Starting takes seconds, so tests share one cluster per test process (``shared()``), each in its
/// own namespace (``makeNamespace(_:)``).
public final class RealKubeCluster: Sendable {
  /// The environment variable naming the folder with the binaries, as controller-runtime's envtest
  /// reads it, so that a folder set up for envtest works here unchanged.
  public static let assetsVariable = "KUBEBUILDER_ASSETS"

  /// The folder `KUBEBUILDER_ASSETS` names, or nil when it is unset or empty.
  public static var assetsDirectory: String? {
    ProcessInfo.processInfo.environment[assetsVariable].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Whether real-cluster tests should run: the variable is set. A folder without the binaries then
  /// fails the tests rather than skipping them, since whoever set the variable asked for them.
  public static var isAvailable: Bool { assetsDirectory != nil }

  /// The one line a skipped real-cluster test says.
  public static let howToEnable =
    "set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd (optionally kube-controller-manager) to run against a real control plane"

  /// Whether the folder also has kube-controller-manager, which tests of Deployments, Jobs and
  /// namespace deletion need.
  public static var hasControllerManager: Bool {
    guard let assetsDirectory else { return false }
    return FileManager.default.isExecutableFile(
      atPath: assetsDirectory + "/kube-controller-manager")
  }

  /// The controllers kube-controller-manager runs: what rolls out and reports the workloads
  /// TripGen deploys, what finalizes and cleans up, and what gives namespaces their service
  /// accounts. Not the node lifecycle controller: it would mark the stand-in's Node unready, as no
  /// kubelet renews its lease.
  public static let controllers = [
    "deployment-controller", "replicaset-controller", "statefulset-controller", "job-controller",
    "cronjob-controller", "namespace-controller", "garbage-collector-controller",
    "serviceaccount-controller", "serviceaccount-token-controller",
    "root-ca-certificate-publisher-controller", "endpointslice-controller",
    "pod-garbage-collector-controller",
  ]

  /// The Service network; the apiserver's own Service (`kubernetes.default`) takes its first
  /// address, which the serving certificate names.
  public static let serviceClusterIPRange = "10.0.0.0/24"

  /// `https://127.0.0.1:PORT`.
  public let url: String
  /// The server's `gitVersion` from `/version` (`v1.36.0`), for tests to record what they ran
  /// against.
  public let version: String
  /// The CA that signed the serving certificate, and its file.
  public let caCertificatePEM: String
  public let caCertificatePath: String
  /// A bearer token for user `admin` in group `system:masters`, which RBAC lets do anything.
  public let adminToken: String
  /// A kubeconfig for the admin, as kubectl or the tripgen CLI would read it.
  public let adminKubeconfigPath: String
  /// The folder with the logs (`etcd.log`, `kube-apiserver.log`, `kube-controller-manager.log`),
  /// certificates and etcd's data; removed when the cluster stops.
  public let directory: String
  /// Whether kube-controller-manager runs.
  public let runsControllerManager: Bool
  /// How long starting took, up to the apiserver ready and the controllers working.
  public let startupDuration: Duration

  /// etcd, kube-apiserver and kube-controller-manager, in the order they started; the
  /// apiserver's entry changes when it is started again.
  private let processes: Mutex<[SpawnedProcess]>
  private let apiServerArguments: [String]
  private let apiServerIndex: Int
  private let apiServerStarts = Mutex(1)
  private let admin: KubeRawAPI
  private let stopped = Mutex(false)

  /// Why the cluster did not start, with the end of the log of the process that failed. The
  /// folder with every log is kept for a look.
  public struct StartError: Error, CustomStringConvertible {
    public let reason: String
    public let logPath: String?
    public let logTail: String

    public var description: String {
      guard let logPath else { return "the real cluster did not start: \(reason)" }
      return """
        the real cluster did not start: \(reason)
        logs kept in \((logPath as NSString).deletingLastPathComponent); the end of \(logPath):
        \(logTail)
        """
    }
  }

  /// Something the cluster should have done did not happen in time.
  public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let timeout: Duration
    public var description: String { "no \(what) after \(timeout)" }
  }

  /// Starts etcd, kube-apiserver and (when the folder has it and `controllerManager` is set)
  /// kube-controller-manager from `assets`; returns once the apiserver is ready and, with the
  /// controller manager, once it has made the `default` namespace's ServiceAccount.
  public init(assets: String? = RealKubeCluster.assetsDirectory, controllerManager: Bool = true)
    async throws
  {
    let clock = ContinuousClock()
    let start = clock.now
    guard let assets else {
      throw StartError(
        reason: "\(Self.assetsVariable) is not set", logPath: nil, logTail: "")
    }
    let launch = try Launch(assets: assets)
    do {
      try await launch.run(controllerManager: controllerManager)
    } catch {
      launch.abandon()
      FileHandle.standardError.write(
        Data("RealKubeCluster: start-up failed; logs are in \(launch.directory)\n".utf8))
      throw error
    }
    url = launch.url
    version = launch.version
    caCertificatePEM = launch.caCertificatePEM
    caCertificatePath = launch.caCertificatePath
    adminToken = launch.adminToken
    adminKubeconfigPath = launch.adminKubeconfigPath
    directory = launch.directory
    runsControllerManager = launch.runsControllerManager
    processes = Mutex(launch.processes)
    apiServerArguments = launch.apiServerArguments
    apiServerIndex = launch.apiServerIndex
    admin = KubeRawAPI(configuration: launch.adminConfiguration)
    startupDuration = start.duration(to: clock.now)
  }

  deinit { stopNow() }

  // MARK: - Shared cluster

  private static let sharedStart = Mutex<Task<RealKubeCluster, any Error>?>(nil)
  private static let sharedCluster = Mutex<RealKubeCluster?>(nil)

  /// One cluster for the whole test process, started by the first test that asks and stopped
  /// when the process exits. Starting takes seconds, so tests share it and keep apart by
  /// namespace. A failed start is the answer for every test that asks, not retried.
  public static func shared() async throws -> RealKubeCluster {
    let task = sharedStart.withLock { task in
      if let task { return task }
      let starting = Task {
        let cluster = try await RealKubeCluster()
        sharedCluster.withLock { $0 = cluster }
        // A static is never released: without this, the processes would outlive the tests.
        atexit { RealKubeCluster.stopSharedCluster() }
        return cluster
      }
      task = starting
      return starting
    }
    return try await task.value
  }

  private static func stopSharedCluster() {
    sharedCluster.withLock { $0 }?.stopNow()
  }

  // MARK: - Clients

  /// The admin's connection settings: the cluster's CA, the admin token, no client-side rate
  /// limit (tests poll, and a test cluster has no one else to be fair to).
  public func adminConfiguration(namespace: String = "default") -> KubeClientConfiguration {
    var configuration = KubeClientConfiguration(
      server: url, tls: KubeTLSSettings(certificateAuthorityPEM: Array(caCertificatePEM.utf8)),
      authentication: .token(adminToken), namespace: namespace)
    configuration.queriesPerSecond = 0
    return configuration
  }

  /// A client acting as the admin (`system:masters`).
  public func adminClient(namespace: String = "default") -> KubeClient {
    KubeClient(
      configuration: adminConfiguration(namespace: namespace), transport: KubeHTTPTransport())
  }

  /// Writes a kubeconfig for the ServiceAccount `name` in `namespace` (created when missing) and
  /// returns its path. The token comes from the TokenRequest API, as a pod's projected token
  /// does, so RBAC sees `system:serviceaccount:NAMESPACE:NAME` in the groups a pod's account has.
  public func serviceAccountKubeconfig(
    namespace: String, name: String, expirationSeconds: Int = 3600
  ) async throws -> String {
    do {
      try await admin.json(
        "POST", "/api/v1/namespaces/\(namespace)/serviceaccounts",
        body: [
          "apiVersion": "v1", "kind": "ServiceAccount",
          "metadata": ["name": .string(name), "namespace": .string(namespace)],
        ])
    } catch let error as KubeError where error.status?.code == 409 {
      // It exists already: a second kubeconfig for the same account.
    }
    let answer = try await admin.json(
      "POST", "/api/v1/namespaces/\(namespace)/serviceaccounts/\(name)/token",
      body: [
        "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
        "spec": ["expirationSeconds": .int(expirationSeconds)],
      ])
    guard let token = answer["status"]?["token"]?.stringValue else {
      throw KubeError.decoding(
        url: url + "/api/v1/namespaces/\(namespace)/serviceaccounts/\(name)/token",
        reason: "the TokenRequest has no status.token")
    }
    let path = "\(directory)/serviceaccount-\(namespace)-\(name).kubeconfig"
    try Self.writeKubeconfig(
      path: path, server: url, caPEM: caCertificatePEM, user: "\(namespace)-\(name)", token: token,
      namespace: namespace)
    return path
  }

  /// A client acting as the ServiceAccount `name` in `namespace`, read from the kubeconfig
  /// ``serviceAccountKubeconfig(namespace:name:expirationSeconds:)`` writes.
  public func serviceAccountClient(namespace: String, name: String) async throws -> KubeClient {
    let path = try await serviceAccountKubeconfig(namespace: namespace, name: name)
    let configuration = try KubeClientConfiguration.load(kubeconfig: path, environment: [:])
    return KubeClient(configuration: configuration, transport: KubeHTTPTransport())
  }

  // MARK: - Namespaces

  /// Creates a namespace with a unique name (`PREFIX-` and 8 hex digits) for one test. With
  /// kube-controller-manager running, it returns once the namespace's `default` ServiceAccount
  /// exists: until then the ServiceAccount admission plugin refuses the namespace's pods.
  public func makeNamespace(_ prefix: String = "test") async throws -> String {
    let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    try await admin.json(
      "POST", "/api/v1/namespaces",
      body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
    if runsControllerManager {
      try await Self.poll("the default ServiceAccount of namespace \(name)", timeout: .seconds(60))
      {
        [admin] in
        let response = try? await admin.send(
          "GET", "/api/v1/namespaces/\(name)/serviceaccounts/default")
        return response?.status == 200
      }
    }
    return name
  }

  /// Starts deleting a namespace and returns without waiting: finalizing it takes the namespace
  /// controller seconds, and a test that is done need not wait for it.
  public func deleteNamespace(_ name: String) async {
    _ = try? await admin.send("DELETE", "/api/v1/namespaces/\(name)")
  }

  /// Polls `condition` every 100 ms until it holds; throws when `timeout` passes first.
  static func poll(
    _ what: String, timeout: Duration, _ condition: () async throws -> Bool
  ) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while try await !condition() {
      guard clock.now < deadline else { throw TimedOut(what: what, timeout: timeout) }
      try await Task.sleep(for: .milliseconds(100))
    }
  }

  // MARK: - Outages

  /// Stops kube-apiserver (SIGTERM, SIGKILL after 10 s) and leaves etcd and the controller
  /// manager running: an outage of the control plane as clients see it, connections refused,
  /// until ``startAPIServer()``.
  public func stopAPIServer() async {
    let process = processes.withLock { $0[apiServerIndex] }
    await Self.offThePool { process.stop(grace: 10) }
  }

  /// Starts kube-apiserver again with the command line it first had: the same port, certificates,
  /// tokens and etcd, so clients reconnect to the same URL and find the objects and
  /// resourceVersions they knew. Returns once it is ready; its log is `kube-apiserver-N.log`.
  public func startAPIServer() async throws {
    let count = apiServerStarts.withLock { count in
      count += 1
      return count
    }
    let name = "kube-apiserver-\(count)"
    let logPath = "\(directory)/\(name).log"
    let process = try Launch.spawn(apiServerArguments, logPath: logPath, home: directory)
    processes.withLock { $0[apiServerIndex] = process }
    try await Launch.waitReady(name: name, process: process, logPath: logPath) { [admin] in
      let response = try? await admin.send("GET", "/readyz", timeout: 5)
      return response?.status == 200
    }
  }

  /// Runs blocking work (waiting for a process) on a thread outside the cooperative pool.
  private static func offThePool(_ work: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      DispatchQueue.global().async {
        work()
        continuation.resume()
      }
    }
  }

  // MARK: - Stopping

  /// Stops the processes (SIGTERM, SIGKILL after 10 s), the controller manager first, etcd last,
  /// and removes the folder. Also done when the cluster is released.
  public func stop() async {
    await Self.offThePool { self.stopNow() }
  }

  private func stopNow() {
    let first = stopped.withLock { stopped in
      defer { stopped = true }
      return !stopped
    }
    guard first else { return }
    for process in processes.withLock({ $0 }).reversed() { process.stop(grace: 10) }
    try? FileManager.default.removeItem(atPath: directory)
  }

  static func writeKubeconfig(
    path: String, server: String, caPEM: String, user: String, token: String, namespace: String
  ) throws {
    let authority = Data(caPEM.utf8).base64EncodedString()
    try """
    apiVersion: v1
    kind: Config
    clusters:
    - name: real-cluster
      cluster:
        server: "\(server)"
        certificate-authority-data: "\(authority)"
    users:
    - name: "\(user)"
      user:
        token: "\(token)"
    contexts:
    - name: real-cluster
      context:
        cluster: real-cluster
        user: "\(user)"
        namespace: "\(namespace)"
    current-context: real-cluster

    """.write(toFile: path, atomically: true, encoding: .utf8)
  }
}
