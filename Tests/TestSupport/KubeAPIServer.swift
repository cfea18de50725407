import Collections
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import YAML

/// An in-process stand-in for kube-apiserver (the Kubernetes 1.29 resources, the watch-list of
/// 1.32 and later), for tests of the `Kube` client.
///
/// It is a test double, not a Kubernetes: it serves HTTP or HTTPS on 127.0.0.1 and follows the API
/// conventions for what TripGen uses, strictly enough that a client correct against it is correct
/// against a real cluster for those paths:
/// - discovery (`/api`, `/apis`, `/api/v1`, `/apis/GROUP/VERSION`) for the built-in groups in
///   ``KubeAPIServerResource/builtIn`` and for CRDs (registered by the test or created through the
///   API as `apiextensions.k8s.io/v1` CustomResourceDefinitions);
/// - get, list (label and field selectors, `limit`/`continue`, `remainingItemCount`), create,
///   update (optimistic concurrency on `resourceVersion`), merge patch, server-side apply (field
///   managers, conflicts, `force`, removal of fields no longer applied), `dryRun=All`, delete
///   (preconditions, finalizers, background/foreground/orphan propagation over owner references,
///   namespace deletion), the `/status` subresource, and watch (ordered events from a
///   resourceVersion, bookmarks, `410 Expired` for a compacted resourceVersion);
/// - streaming lists (watch-list, KEP-3157): `sendInitialEvents=true` with
///   `resourceVersionMatch=NotOlderThan` and `allowWatchBookmarks=true` streams the matching
///   objects as ADDED, then a BOOKMARK annotated `k8s.io/initial-events-end: "true"`, then live
///   events; the parameters are validated as `ListOptions` are (`422 Invalid`). ``WatchList``
///   (``Options/watchList`` or ``watchList``) makes it refuse them as older servers do: with one
///   `500 InternalError` ERROR event (`... the required storage feature RequestWatchProgress is
///   disabled`, etcd older than 3.5.13) or with `422 Invalid` (1.27 to 1.31, feature gate off);
/// - metadata the API sets: uid, one global resourceVersion counter, generation (bumped on changes
///   outside metadata and status), creationTimestamp, managedFields; name validation with `422 Invalid`;
/// - authentication by bearer token, basic auth or client certificate; ``serviceAccountToken(namespace:name:)``
///   hands out a token for a service account;
/// - RBAC for service accounts (users `system:serviceaccount:NS:NAME`, in the groups
///   `system:serviceaccounts`, `system:serviceaccounts:NS` and `system:authenticated`), decided as
///   the RBAC authorizer does from the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings
///   stored like any object: verbs (`get list watch create update patch delete deletecollection`,
///   `*`), apiGroups, resources (`*`, `pods/status`, `*/status`), resourceNames (which match only
///   requests naming an object: get, update, patch, delete, and list or watch with a
///   `metadata.name` field selector), nonResourceURLs; User, Group and ServiceAccount subjects; a
///   RoleBinding to a ClusterRole grants it in the binding's namespace only; a Namespace request
///   counts as in that namespace. Authorization precedes routing, as on a real server. Discovery
///   (`/api`, `/apis`, `/version`, `/openapi`, ...) is open to every service account, as the
///   default `system:discovery` ClusterRole makes it. A server-side apply that creates its object
///   needs `patch` and then `create`, as on a real server. Denials are worded as the apiserver
///   words them. Other users (administrator tokens, basic auth, certificates, anonymous) may do
///   anything except what ``deny(user:verb:resource:namespace:)`` forbids;
/// - fault injection, a request log, and going down and coming back on the same port with the
///   same objects (``stopListening()``, ``startListening()``).
///
/// Limits, where it is simpler than the real thing:
/// - no schemas or defaulting beyond a port's protocol in merge keys: any JSON is stored as sent;
///   the lists server-side apply merges by key are a fixed table of the built-in types' list-map
///   fields (containers, env, ports, volumes, volumeMounts, conditions, ...); CRD lists are atomic;
/// - one served version per resource; no conversion, no admission, no controllers (nothing rolls
///   out: tests set `status` themselves), no strategic merge patch or JSON patch;
/// - continue tokens page through the current state, not a snapshot at the first page's version;
/// - a namespace is deleted at once (no Terminating phase left for controllers to drain);
/// - no protobuf, no aggregated discovery, no table output, no `resourceVersionMatch` on lists,
///   no `deletecollection` (405), no `/scale` or other subresources than `/status`;
/// - RBAC has no aggregated ClusterRoles, no escalation or `bind` checks on writes to roles and
///   bindings, and no default roles beyond discovery; no TokenRequest API, and a service
///   account's token works whether or not its ServiceAccount exists;
/// - a watch from a compacted resourceVersion gets its `410 Expired` as an ERROR event in a 200
///   response, as the real watch cache answers; bookmarks are sent when the test calls
///   ``sendBookmarks()``, not on a timer (except the one that ends a watch-list's initial
///   events); a watch-list's initial state is the current one whatever resourceVersion it names;
/// - with a client CA configured, every connection must present a client certificate;
/// - delete returns the object (or, held by finalizers, the object marked for deletion) for
///   every kind, never a `Status` of success.
public final class KubeAPIServer: @unchecked Sendable {
  /// How the server authenticates clients.
  public struct Options: Sendable {
    /// Serve HTTPS with this certificate and key (PEM). Nil serves plain HTTP.
    public var tls: TLS?
    /// Bearer tokens the server accepts at first, each with the user name it stands for.
    public var tokens: [String: String] = [:]
    /// Basic-auth users and passwords.
    public var basicUsers: [String: String] = [:]
    /// Refuse anonymous requests with `401 Unauthorized`.
    public var requireAuthentication = false
    /// How many watch events are kept; a watch from an older resourceVersion gets `410 Expired`.
    public var watchHistory = 10_000
    /// How the server answers a streaming list (`sendInitialEvents=true`).
    public var watchList = WatchList.served

    public init(
      tls: TLS? = nil, tokens: [String: String] = [:], basicUsers: [String: String] = [:],
      requireAuthentication: Bool = false, watchHistory: Int = 10_000,
      watchList: WatchList = .served
    ) {
      self.tls = tls
      self.tokens = tokens
      self.basicUsers = basicUsers
      self.requireAuthentication = requireAuthentication
      self.watchHistory = watchHistory
      self.watchList = watchList
    }
  }

  /// How the server answers a streaming list (watch-list): a watch with `sendInitialEvents=true`,
  /// `resourceVersionMatch=NotOlderThan` and `allowWatchBookmarks=true`. Real clusters differ
  /// here, and a client has to work with all of them.
  public enum WatchList: Sendable {
    /// Served, as from Kubernetes 1.32 (WatchList beta, on by default) on etcd 3.5.13 or later.
    case served
    /// Refused as a 1.32 or later apiserver on an etcd older than 3.5.13 refuses it: `200 OK`,
    /// then one ERROR event (a `500 InternalError` Status saying `a watch stream was requested
    /// by the client but the required storage feature RequestWatchProgress is disabled`), then
    /// the end of the response.
    case refusedByStorage
    /// Refused as 1.27 to 1.31 refuse it with their WatchList feature gate off (the default):
    /// `422 Invalid`, `sendInitialEvents is forbidden for watch unless the WatchList feature
    /// gate is enabled`.
    case featureGateDisabled
  }

  /// The server's HTTPS identity, and optionally the CA whose client certificates it accepts.
  public struct TLS: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    /// Require client certificates signed by this CA; the user is the certificate's common name.
    public var clientCAPEM: String?

    public init(certificatePEM: String, privateKeyPEM: String, clientCAPEM: String? = nil) {
      self.certificatePEM = certificatePEM
      self.privateKeyPEM = privateKeyPEM
      self.clientCAPEM = clientCAPEM
    }
  }

  /// A request the server received, for tests to check what the client sent.
  public struct LoggedRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var contentType: String?
    public var user: String
    /// The `fieldManager` query parameter.
    public var fieldManager: String? { query["fieldManager"] }
  }

  /// A fault to answer matching requests with instead of handling them.
  public enum Fault: Sendable {
    /// An error status with a Status body (`500`, `429` with `Retry-After` seconds, `409`, ...).
    case status(Int, retryAfter: Int? = nil)
    /// Handle the request normally, after a delay.
    case delay(TimeInterval)
    /// Close the connection without answering.
    case dropConnection
  }

  public private(set) var port = 0
  public let options: Options
  /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
  public var url: String { "\(options.tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

  let lock = NSLock()
  var state: State
  private let group: MultiThreadedEventLoopGroup
  private var bootstrap: ServerBootstrap?
  /// The listening socket, nil while the server is down (``stopListening()``); under `lock`.
  private var channel: Channel?
  /// Open client connections, to close when the server goes down; under `lock`.
  private var connections: [ObjectIdentifier: Channel] = [:]

  struct State {
    var resources: [KubeAPIServerResource] = KubeAPIServerResource.builtIn
    /// storage key (group/plural) → "namespace/name" → object.
    var objects: [String: [String: JSONValue]] = [:]
    var resourceVersion = 1
    var events: [KubeAPIServerWatchEvent] = []
    /// The resourceVersion before the oldest kept event: watches from older ones are expired.
    var compactedThrough = 1
    var watchers: [Int: KubeAPIServerWatcher] = [:]
    var nextWatcherID = 0
    var tokens: [String: String] = [:]
    var faults:
      [(method: String?, pathContains: String?, dryRun: Bool?, fault: Fault, remaining: Int)] = []
    var denials: [(user: String?, verb: String?, resource: String?, namespace: String?)] = []
    var log: [LoggedRequest] = []
    var handlingTime = Duration.zero
    var watchList = WatchList.served
  }

  /// Starts the server on an ephemeral 127.0.0.1 port.
  public init(options: Options = Options()) async throws {
    self.options = options
    state = State()
    state.tokens = options.tokens
    state.watchList = options.watchList
    group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let sslContext = try options.tls.map { tls in
      var configuration = TLSConfiguration.makeServerConfiguration(
        certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(tls.certificatePEM.utf8)).map {
          .certificate($0)
        },
        privateKey: .privateKey(
          try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)))
      if let ca = tls.clientCAPEM {
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8)))
        configuration.certificateVerification = .noHostnameVerification
      }
      return try NIOSSLContext(configuration: configuration)
    }
    for namespace in ["default", "kube-system", "kube-public"] {
      _ = try? createNamespaceForTest(namespace, state: &state)
    }
    let clientCertificates = options.tls?.clientCAPEM != nil
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { [unowned self] channel in
        track(channel)
        return channel.eventLoop.makeCompletedFuture {
          if let sslContext {
            let handler = NIOSSLServerHandler(context: sslContext)
            try channel.pipeline.syncOperations.addHandler(handler)
          }
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(
            KubeAPIServerHTTPHandler(server: self, readsClientCertificate: clientCertificates))
        }
      }
    self.bootstrap = bootstrap
    let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
    lock.withLock { self.channel = channel }
    port = channel.localAddress?.port ?? 0
  }

  /// Closes the listener and every open watch, and stops the event loop.
  public func stop() async {
    dropWatches()
    let channel = lock.withLock { self.channel }
    try? await channel?.close()
    try? await group.shutdownGracefully()
  }

  private func track(_ connection: Channel) {
    let id = ObjectIdentifier(connection)
    lock.withLock { connections[id] = connection }
    connection.closeFuture.whenComplete { [weak self] _ in
      self?.lock.withLock { _ = self?.connections.removeValue(forKey: id) }
    }
  }

  /// Goes down as a restarting apiserver does: stops listening (new connections are refused)
  /// and closes every open connection, watches included, mid-response. The objects, their
  /// resourceVersions and the watch history stay, as they would in etcd.
  public func stopListening() async {
    dropWatches()
    let (listener, open) = lock.withLock {
      let taken = (channel, Array(connections.values))
      channel = nil
      return taken
    }
    try? await listener?.close()
    for connection in open { try? await connection.close() }
  }

  /// Comes back after ``stopListening()`` on the same port, with the same objects.
  public func startListening() async throws {
    guard let bootstrap, lock.withLock({ channel == nil }) else { return }
    let listener = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
    lock.withLock { channel = listener }
  }

  // MARK: Test controls

  /// Registers a custom resource, as if its CRD had been created and become established.
  public func registerCustomResource(_ resource: KubeAPIServerResource) {
    lock.withLock {
      state.resources.removeAll { $0.group == resource.group && $0.plural == resource.plural }
      state.resources.append(resource)
    }
  }

  /// Accepts a bearer token for a user from now on (a rotated service account token).
  public func acceptToken(_ token: String, user: String) {
    lock.withLock { state.tokens[token] = user }
  }

  /// A bearer token for the service account `NAME` in `NAMESPACE`: the user
  /// `system:serviceaccount:NAMESPACE:NAME`, whose requests RBAC checks, as a pod's projected
  /// token would be (the TokenRequest API is not served). The ServiceAccount object is not
  /// needed and not created.
  public func serviceAccountToken(namespace: String, name: String) -> String {
    let token = "sa-\(namespace)-\(name)-\(UUID().uuidString.lowercased())"
    acceptToken(token, user: "system:serviceaccount:\(namespace):\(name)")
    return token
  }

  /// Refuses a bearer token from now on (an expired or revoked one).
  public func revokeToken(_ token: String) {
    lock.withLock { state.tokens[token] = nil }
  }

  /// Answers the next `count` requests matching the method and path fragment with a fault;
  /// `dryRun` true or false matches only dry-run requests, or only real ones.
  public func inject(
    _ fault: Fault, method: String? = nil, pathContains: String? = nil, dryRun: Bool? = nil,
    count: Int = 1
  ) {
    lock.withLock { state.faults.append((method, pathContains, dryRun, fault, count)) }
  }

  /// Forbids a user (nil: anyone) a verb (`get`, `list`, `watch`, `create`, `update`, `patch`,
  /// `delete`) on a resource (plural) in a namespace; nil matches anything.
  public func deny(
    user: String? = nil, verb: String? = nil, resource: String? = nil, namespace: String? = nil
  ) {
    lock.withLock { state.denials.append((user, verb, resource, namespace)) }
  }

  /// How the server answers a streaming list from now on (see ``WatchList``); starts as
  /// ``Options/watchList``.
  public var watchList: WatchList {
    get { lock.withLock { state.watchList } }
    set { lock.withLock { state.watchList = newValue } }
  }

  /// Every request received so far, oldest first.
  public var requestLog: [LoggedRequest] { lock.withLock { state.log } }

  public func clearRequestLog() { lock.withLock { state.log.removeAll() } }

  /// Time spent handling requests, from the parsed request to the answer handed to the socket
  /// (routing, storage, JSON encoding; not the network), so a benchmark can tell the client's
  /// share of a request's time from the server's.
  public var handlingTime: Duration { lock.withLock { state.handlingTime } }

  func addHandlingTime(_ duration: Duration) { lock.withLock { state.handlingTime += duration } }

  /// The stored object, or nil.
  public func object(apiVersion: String, kind: String, namespace: String?, name: String)
    -> JSONValue?
  {
    lock.withLock {
      guard
        let resource = state.resources.first(where: {
          $0.apiVersion == apiVersion && $0.kind == kind
        })
      else { return nil }
      return state.objects[resource.storageKey]?[Self.objectKey(namespace, name)]
    }
  }

  /// Sets an object's `status` as a controller would (a rollout finishing, a Job failing), with a
  /// new resourceVersion and a MODIFIED event.
  @discardableResult
  public func setStatus(
    apiVersion: String, kind: String, namespace: String?, name: String, status: JSONValue
  ) -> Bool {
    lock.withLock {
      guard
        let resource = state.resources.first(where: {
          $0.apiVersion == apiVersion && $0.kind == kind
        }),
        var object = state.objects[resource.storageKey]?[Self.objectKey(namespace, name)]
      else { return false }
      let old = object
      object = object.setting("status", status)
      store(object, old: old, resource: resource, type: "MODIFIED", state: &state)
      return true
    }
  }

  /// Closes every open watch connection without a final event, as a load balancer dropping
  /// idle connections would.
  public func dropWatches() {
    let watchers = lock.withLock {
      let all = state.watchers.values
      state.watchers.removeAll()
      return Array(all)
    }
    for watcher in watchers { watcher.close() }
  }

  /// Sends a BOOKMARK event to every watch that asked for bookmarks.
  public func sendBookmarks() {
    lock.withLock {
      for watcher in state.watchers.values where watcher.bookmarks {
        let resource = watcher.resource
        watcher.send(
          type: "BOOKMARK",
          object: [
            "kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
            "metadata": ["resourceVersion": .string(String(state.resourceVersion))],
          ])
      }
    }
  }

  /// Forgets watch history up to the current resourceVersion, as etcd compaction does: a watch
  /// resuming from an older version then gets `410 Expired`.
  public func compactWatchHistory() {
    lock.withLock {
      state.events.removeAll()
      state.compactedThrough = state.resourceVersion
    }
  }

  /// Number of open watch connections.
  public var openWatchCount: Int {
    lock.withLock { state.watchers.values.filter(\.connection.isOpen).count }
  }

  static func objectKey(_ namespace: String?, _ name: String) -> String {
    "\(namespace ?? "")/\(name)"
  }

  private func createNamespaceForTest(_ name: String, state: inout State) throws {
    let resource = state.resources[0]
    let object: JSONValue = [
      "apiVersion": "v1", "kind": "Namespace",
      "metadata": ["name": .string(name)],
    ]
    let created = newObjectMetadata(object, resource: resource, namespace: nil, state: &state)
      .setting("status", ["phase": "Active"])
    store(created, old: nil, resource: resource, type: "ADDED", state: &state)
  }
}

extension JSONValue {
  /// A copy of this object with `key` set (or removed, for nil).
  func setting(_ key: String, _ value: JSONValue?) -> JSONValue {
    guard case .object(var object) = self else { return self }
    object[key] = value
    return .object(object)
  }

  func setting(_ path: [String], _ value: JSONValue?) -> JSONValue {
    guard let first = path.first else { return value ?? .null }
    if path.count == 1 { return setting(first, value) }
    let child = self[first] ?? [:]
    return setting(first, child.setting(Array(path.dropFirst()), value))
  }

  var labels: [String: String] {
    var result: [String: String] = [:]
    for (key, value) in self["metadata"]?["labels"]?.objectValue ?? [:] {
      result[key] = value.stringValue ?? ""
    }
    return result
  }
}
