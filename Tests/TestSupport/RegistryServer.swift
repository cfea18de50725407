import Foundation

/// A real registry (Debian's `docker-registry`, the CNCF distribution registry) on 127.0.0.1 and a
/// free port, with its own configuration, storage and log in a temporary directory, and htpasswd
/// (bcrypt) authentication for one user.
public final class RegistryServer: @unchecked Sendable {
  public static let executable = "/usr/bin/docker-registry"

  public let directory: TemporaryDirectory
  public let port: Int
  public let username: String
  public let password: String
  private let process: ServerProcess

  /// Token authentication instead of htpasswd: the registry challenges with `Bearer realm=...`
  /// and accepts tokens `issuer` signed for `service`.
  public struct TokenAuthentication: Sendable {
    public var realm: String
    public var service: String
    public var issuer: RegistryTokenIssuer

    public init(realm: String, service: String, issuer: RegistryTokenIssuer) {
      self.realm = realm
      self.service = service
      self.issuer = issuer
    }
  }

  /// Writes the configuration and starts the registry; returns once it accepts connections.
  /// With `tokenAuthentication`, the user and password are unused.
  public init(
    username: String = "pusher", password: String = "s3cret-pass",
    tokenAuthentication: TokenAuthentication? = nil
  ) throws {
    self.username = username
    self.password = password
    directory = try TemporaryDirectory(prefix: "tripgen-registry")
    let htpasswd = try Command.check(["/usr/bin/htpasswd", "-Bbn", username, password])
    try Data(htpasswd.standardOutput.utf8).write(to: directory.file("htpasswd"))
    var lastError: any Error = TestSupportError.serverDidNotStart("docker-registry", log: "")
    // A picked port can be taken by someone else before the registry binds it: try a few.
    for _ in 0..<3 {
      let port = try FreePort.pick()
      let configuration = directory.file("config-\(port).yml")
      try Data(
        Self.configuration(directory: directory.path, port: port, token: tokenAuthentication).utf8
      )
      .write(to: configuration)
      do {
        process = try GitTestProcess.startServer(
          name: "docker-registry", executable: Self.executable,
          arguments: ["serve", configuration.path], port: port, log: directory.file("registry.log"))
        self.port = port
        return
      } catch {
        lastError = error
      }
    }
    throw lastError
  }

  /// `127.0.0.1:PORT`, as an image reference's registry part.
  public var host: String { "127.0.0.1:\(port)" }

  /// The registry's log (one line per request, among others).
  public var log: String {
    (try? String(contentsOf: directory.file("registry.log"), encoding: .utf8)) ?? ""
  }

  /// The number of requests the registry logged with `method` whose URI contains `path`.
  public func requestCount(method: String, pathContaining path: String) -> Int {
    log.split(separator: "\n").filter {
      $0.contains("http.request.method=\(method) ") && $0.contains("msg=\"response completed")
        && uri(of: $0).contains(path)
    }.count
  }

  private func uri(of line: Substring) -> Substring {
    guard let start = line.range(of: "http.request.uri=") else { return "" }
    let rest = line[start.upperBound...]
    // logrus quotes a value only when it holds characters such as `?` or `=`.
    if rest.first == "\"" { return rest.dropFirst().prefix { $0 != "\"" } }
    return rest.prefix { $0 != " " }
  }

  public func stop() { process.stop() }

  deinit { process.stop() }

  static func configuration(directory: String, port: Int, token: TokenAuthentication?) -> String {
    let authentication =
      token.map {
        """
          token:
            realm: \($0.realm)
            service: \($0.service)
            issuer: \($0.issuer.issuer)
            rootcertbundle: \($0.issuer.certificatePath)
        """
      } ?? """
          htpasswd:
            realm: tripgen-test
            path: \(directory)/htpasswd
        """
    return """
      version: 0.1
      log:
        level: info
        formatter: text
        accesslog:
          disabled: true
      storage:
        filesystem:
          rootdirectory: \(directory)/storage
        delete:
          enabled: true
      http:
        addr: 127.0.0.1:\(port)
        secret: tripgen-test-secret
      auth:
      \(authentication)

      """
  }
}
