import Foundation

/// How the client reaches one cluster as one user: the chosen context of a kubeconfig, or the
/// in-cluster service account.
public struct KubeClientConfiguration: Sendable {
  /// The API server's base URL (`https://host:port`, possibly with a path prefix).
  public var server: String
  public var tls: KubeTLSSettings
  public var proxyURL: String?
  public var authentication: KubeAuthentication
  /// The namespace of the context (or the service account's), `default` when none is set.
  public var namespace: String
  /// Client-side rate limit, as client-go's defaults: 5 requests per second, bursts of 10.
  public var queriesPerSecond: Double = 5
  public var burst: Int = 10
  /// Seconds a request may take (not a watch).
  public var timeout: Double = 30
  /// Sent as User-Agent; the apiserver derives the default field manager from its first word.
  public var userAgent = "tripgen"
  /// The cluster, for exec plugins that ask for it (`provideClusterInfo`).
  public var cluster: KubeConfig.Cluster?

  public init(
    server: String, tls: KubeTLSSettings = KubeTLSSettings(), proxyURL: String? = nil,
    authentication: KubeAuthentication = .none, namespace: String = "default"
  ) {
    self.server = server
    self.tls = tls
    self.proxyURL = proxyURL
    self.authentication = authentication
    self.namespace = namespace
  }
}

/// How requests prove who sends them.
public enum KubeAuthentication: Sendable, Equatable {
  case none
  case token(String)
  /// A token file read again as it rotates (service account tokens, `tokenFile`).
  case tokenFile(String)
  case basic(username: String, password: String)
  case exec(KubeExecConfig)
}

extension KubeClientConfiguration {
  /// The default kubeconfig search: `--kubeconfig`, else every file in `KUBECONFIG` merged,
  /// else `~/.kube/config`; else the in-cluster service account. `context` overrides the
  /// current-context.
  public static func load(
    kubeconfig: String? = nil, context: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    inCluster: InClusterPaths = InClusterPaths()
  ) throws(KubeConfigError) -> KubeClientConfiguration {
    var searched: [String] = []
    if let kubeconfig {
      return try fromKubeconfig(KubeConfig.read(file: kubeconfig), context: context)
    }
    if let list = environment["KUBECONFIG"], !list.isEmpty {
      var merged: KubeConfig?
      for path in list.split(separator: ":").map(String.init) where !path.isEmpty {
        searched.append(path)
        // client-go skips files in KUBECONFIG that do not exist.
        guard FileManager.default.fileExists(atPath: path) else { continue }
        let config = try KubeConfig.read(file: path)
        if merged == nil { merged = config } else { merged!.merge(config) }
      }
      if let merged { return try fromKubeconfig(merged, context: context) }
    } else if let home = environment["HOME"] {
      let path = home + "/.kube/config"
      searched.append(path)
      if FileManager.default.fileExists(atPath: path) {
        return try fromKubeconfig(KubeConfig.read(file: path), context: context)
      }
    }
    if environment["KUBERNETES_SERVICE_HOST"] != nil {
      return try Self.inCluster(environment: environment, paths: inCluster)
    }
    throw .noConfiguration(searched: searched)
  }

  /// The connection settings of one context of a (merged) kubeconfig.
  public static func fromKubeconfig(_ config: KubeConfig, context name: String? = nil)
    throws(KubeConfigError) -> KubeClientConfiguration
  {
    guard let contextName = name ?? config.currentContext else {
      throw .noCurrentContext(files: config.files)
    }
    guard let context = config.contexts[contextName] else {
      throw .notDefined(what: "context", name: contextName, files: config.files)
    }
    guard let cluster = config.clusters[context.cluster] else {
      throw .notDefined(what: "cluster", name: context.cluster, files: config.files)
    }
    guard !cluster.server.isEmpty else {
      throw .invalidField(
        file: config.files.first ?? "kubeconfig",
        field: "clusters[\(context.cluster)].cluster.server",
        reason: "is required")
    }
    let user = context.user.isEmpty ? KubeConfig.User() : config.users[context.user]
    guard let user else { throw .notDefined(what: "user", name: context.user, files: config.files) }
    var tls = KubeTLSSettings(
      certificateAuthorityPEM: cluster.certificateAuthorityPEM,
      insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName,
      clientCertificatePEM: user.clientCertificatePEM, clientKeyPEM: user.clientKeyPEM)
    if tls.insecureSkipVerify { tls.certificateAuthorityPEM = nil }
    let authentication: KubeAuthentication
    if let exec = user.exec {
      authentication = .exec(exec)
    } else if let token = user.token, !token.isEmpty {
      authentication = .token(token)
    } else if let file = user.tokenFile {
      authentication = .tokenFile(file)
    } else if let username = user.username, let password = user.password {
      authentication = .basic(username: username, password: password)
    } else {
      authentication = .none
    }
    var result = KubeClientConfiguration(
      server: cluster.server.hasSuffix("/") ? String(cluster.server.dropLast()) : cluster.server,
      tls: tls, proxyURL: cluster.proxyURL, authentication: authentication,
      namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
    result.cluster = cluster
    return result
  }

  /// Where a pod finds its service account; tests point these elsewhere.
  public struct InClusterPaths: Sendable {
    public var token = "/var/run/secrets/kubernetes.io/serviceaccount/token"
    public var certificateAuthority = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
    public var namespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

    public init(directory: String = "/var/run/secrets/kubernetes.io/serviceaccount") {
      token = directory + "/token"
      certificateAuthority = directory + "/ca.crt"
      namespace = directory + "/namespace"
    }
  }

  /// The service account of the pod this runs in: `KUBERNETES_SERVICE_HOST`/`_PORT`, the CA and
  /// namespace files, and the token file, which is read again as the kubelet rotates it.
  public static func inCluster(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    paths: InClusterPaths = InClusterPaths()
  ) throws(KubeConfigError) -> KubeClientConfiguration {
    guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
      let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
    else {
      throw .inCluster(reason: "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set")
    }
    guard FileManager.default.isReadableFile(atPath: paths.token) else {
      throw .inCluster(reason: "cannot read the service account token \(paths.token)")
    }
    guard let ca = FileManager.default.contents(atPath: paths.certificateAuthority) else {
      throw .inCluster(reason: "cannot read the service account CA \(paths.certificateAuthority)")
    }
    let namespace = FileManager.default.contents(atPath: paths.namespace).map {
      String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let hostPart = host.contains(":") ? "[\(host)]" : host
    return KubeClientConfiguration(
      server: "https://\(hostPart):\(port)",
      tls: KubeTLSSettings(certificateAuthorityPEM: Array(ca)),
      authentication: .tokenFile(paths.token),
      namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
  }
}
