import Foundation
import YAML

/// A kubeconfig file, or several merged: clusters, users and contexts by name.
///
/// File paths inside are resolved against the directory of the file that names them, and `-data`
/// fields are decoded, when the file is read; what stays is ready to connect with.
public struct KubeConfig: Sendable, Equatable {
  /// How to reach and trust one API server.
  public struct Cluster: Sendable, Equatable {
    public var server: String
    public var certificateAuthorityPEM: [UInt8]?
    /// The file the CA came from, for error messages.
    public var certificateAuthorityFile: String?
    public var insecureSkipTLSVerify = false
    public var tlsServerName: String?
    public var proxyURL: String?
  }

  /// Credentials of one user.
  public struct User: Sendable, Equatable {
    public var token: String?
    public var tokenFile: String?
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    public var username: String?
    public var password: String?
    public var exec: KubeExecConfig?
  }

  /// A cluster, a user and a default namespace.
  public struct Context: Sendable, Equatable {
    public var cluster: String
    public var user: String
    public var namespace: String?
  }

  public var clusters: [String: Cluster] = [:]
  public var users: [String: User] = [:]
  public var contexts: [String: Context] = [:]
  public var currentContext: String?
  /// The files this configuration was read from, in merge order.
  public var files: [String] = []

  public init() {}

  /// Reads one kubeconfig file.
  public static func read(file: String) throws(KubeConfigError) -> KubeConfig {
    let text: String
    do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
      throw .unreadable(file: file, reason: (error as NSError).localizedDescription)
    }
    return try parse(text, file: file)
  }

  /// Parses a kubeconfig text; `file` names it in errors and anchors its relative paths.
  public static func parse(_ text: String, file: String) throws(KubeConfigError) -> KubeConfig {
    let root: JSONValue
    do { root = try YAML.loadOne(text, file: file) } catch {
      throw .malformed(file: file, reason: error.description)
    }
    var config = KubeConfig()
    config.files = [file]
    if root.isNull { return config }
    guard case .object = root else {
      throw .malformed(file: file, reason: "the document is not a mapping")
    }
    let reader = FieldReader(file: file)
    let directory = (file as NSString).deletingLastPathComponent
    config.currentContext = try reader.string(root["current-context"], "current-context")
    if config.currentContext?.isEmpty == true { config.currentContext = nil }

    for (index, entry) in try reader.list(root["clusters"], "clusters").enumerated() {
      let path = "clusters[\(index)]"
      let name = try reader.requiredString(entry["name"], "\(path).name")
      guard config.clusters[name] == nil else { continue }
      let body = entry["cluster"] ?? [:]
      let field = "\(path).cluster"
      var cluster = Cluster(server: try reader.string(body["server"], "\(field).server") ?? "")
      cluster.insecureSkipTLSVerify = try reader.bool(
        body["insecure-skip-tls-verify"], "\(field).insecure-skip-tls-verify")
      cluster.tlsServerName = try reader.string(body["tls-server-name"], "\(field).tls-server-name")
      cluster.proxyURL = try reader.string(body["proxy-url"], "\(field).proxy-url")
      if let data = try reader.base64(
        body["certificate-authority-data"], "\(field).certificate-authority-data")
      {
        cluster.certificateAuthorityPEM = data
      } else if let caFile = try reader.string(
        body["certificate-authority"], "\(field).certificate-authority")
      {
        let resolved = resolve(caFile, against: directory)
        cluster.certificateAuthorityFile = resolved
        cluster.certificateAuthorityPEM = try reader.fileBytes(
          resolved, "\(field).certificate-authority")
      }
      config.clusters[name] = cluster
    }

    for (index, entry) in try reader.list(root["users"], "users").enumerated() {
      let path = "users[\(index)]"
      let name = try reader.requiredString(entry["name"], "\(path).name")
      guard config.users[name] == nil else { continue }
      let body = entry["user"] ?? [:]
      let field = "\(path).user"
      var user = User()
      user.token = try reader.string(body["token"], "\(field).token")
      user.tokenFile = try reader.string(body["tokenFile"], "\(field).tokenFile").map {
        resolve($0, against: directory)
      }
      user.username = try reader.string(body["username"], "\(field).username")
      user.password = try reader.string(body["password"], "\(field).password")
      if let data = try reader.base64(
        body["client-certificate-data"], "\(field).client-certificate-data")
      {
        user.clientCertificatePEM = data
      } else if let certFile = try reader.string(
        body["client-certificate"], "\(field).client-certificate")
      {
        user.clientCertificatePEM = try reader.fileBytes(
          resolve(certFile, against: directory), "\(field).client-certificate")
      }
      if let data = try reader.base64(body["client-key-data"], "\(field).client-key-data") {
        user.clientKeyPEM = data
      } else if let keyFile = try reader.string(body["client-key"], "\(field).client-key") {
        user.clientKeyPEM = try reader.fileBytes(
          resolve(keyFile, against: directory), "\(field).client-key")
      }
      if (user.clientCertificatePEM == nil) != (user.clientKeyPEM == nil) {
        throw .invalidField(
          file: file, field: field,
          reason: "client-certificate and client-key must be given together (as files or -data)")
      }
      if let exec = body["exec"], !exec.isNull {
        user.exec = try KubeExecConfig(
          exec, reader: reader, field: "\(field).exec", directory: directory)
      }
      config.users[name] = user
    }

    for (index, entry) in try reader.list(root["contexts"], "contexts").enumerated() {
      let path = "contexts[\(index)]"
      let name = try reader.requiredString(entry["name"], "\(path).name")
      guard config.contexts[name] == nil else { continue }
      let body = entry["context"] ?? [:]
      config.contexts[name] = Context(
        cluster: try reader.string(body["cluster"], "\(path).context.cluster") ?? "",
        user: try reader.string(body["user"], "\(path).context.user") ?? "",
        namespace: try reader.string(body["namespace"], "\(path).context.namespace"))
    }
    return config
  }

  /// Merges files as client-go does for `KUBECONFIG=a:b`: the first file to define a name wins,
  /// and the first file to set current-context wins.
  public mutating func merge(_ later: KubeConfig) {
    for (name, cluster) in later.clusters where clusters[name] == nil { clusters[name] = cluster }
    for (name, user) in later.users where users[name] == nil { users[name] = user }
    for (name, context) in later.contexts where contexts[name] == nil { contexts[name] = context }
    if currentContext == nil { currentContext = later.currentContext }
    files += later.files
  }

  /// Absolute paths stay; relative ones are taken from the kubeconfig's own directory.
  static func resolve(_ path: String, against directory: String) -> String {
    if path.hasPrefix("/") || directory.isEmpty { return path }
    return ((directory as NSString).appendingPathComponent(path) as NSString).standardizingPath
  }
}

/// Typed reads of kubeconfig fields with errors that name the file and field.
struct FieldReader {
  let file: String

  func string(_ value: JSONValue?, _ field: String) throws(KubeConfigError) -> String? {
    switch value {
    case nil, .null?: return nil
    case .string(let s)?: return s
    case .int(let i)?: return String(i)
    case .bool(let b)?: return String(b)
    default: throw .invalidField(file: file, field: field, reason: "must be a string")
    }
  }

  func requiredString(_ value: JSONValue?, _ field: String) throws(KubeConfigError) -> String {
    guard let s = try string(value, field), !s.isEmpty else {
      throw .invalidField(file: file, field: field, reason: "is required")
    }
    return s
  }

  func bool(_ value: JSONValue?, _ field: String) throws(KubeConfigError) -> Bool {
    switch value {
    case nil, .null?: return false
    case .bool(let b)?: return b
    default: throw .invalidField(file: file, field: field, reason: "must be true or false")
    }
  }

  func list(_ value: JSONValue?, _ field: String) throws(KubeConfigError) -> [JSONValue] {
    switch value {
    case nil, .null?: return []
    case .array(let items)?: return items
    default: throw .invalidField(file: file, field: field, reason: "must be a list")
    }
  }

  func base64(_ value: JSONValue?, _ field: String) throws(KubeConfigError) -> [UInt8]? {
    guard let text = try string(value, field), !text.isEmpty else { return nil }
    guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
      throw .invalidField(file: file, field: field, reason: "is not valid base64")
    }
    return Array(data)
  }

  func fileBytes(_ path: String, _ field: String) throws(KubeConfigError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .invalidField(file: file, field: field, reason: "cannot read \(path)")
    }
    return Array(data)
  }
}
