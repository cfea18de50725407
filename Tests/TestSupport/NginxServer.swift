import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real nginx (Debian `nginx-light`) on 127.0.0.1 and a free port, run as a child process with
/// its own configuration, logs, pid file and temporary directories inside a temporary directory.
///
/// It serves `documentRoot` at `/`, stores `PUT /uploads/NAME` into `uploadsDirectory`, reads and
/// drops any request body sent to `/discard` (answering 204), and can
/// speak TLS with a `TestPKI`, require client certificates, and offer HTTP/2. The access log
/// records each request's connection serial number, so tests can see connection reuse.
public final class NginxServer: @unchecked Sendable {
  public struct Options: Sendable {
    /// Serve https with this PKI's server certificate.
    public var tls: TestPKI?
    /// Reject requests without a client certificate signed by the PKI's CA (nginx answers 400).
    public var requiresClientCertificate: Bool
    /// Offer HTTP/2 (ALPN h2; needs `tls`).
    public var http2: Bool
    /// Extra directives inside the `server` block, for a test's own locations.
    public var extraServerDirectives: String
    /// A directory to serve at `/` instead of the server's own (empty) `www` folder.
    public var documentRoot: String?

    public init(
      tls: TestPKI? = nil, requiresClientCertificate: Bool = false, http2: Bool = false,
      extraServerDirectives: String = "", documentRoot: String? = nil
    ) {
      self.tls = tls
      self.requiresClientCertificate = requiresClientCertificate
      self.http2 = http2
      self.extraServerDirectives = extraServerDirectives
      self.documentRoot = documentRoot
    }
  }

  public static let executable = "/usr/sbin/nginx"

  public let directory: TemporaryDirectory
  public private(set) var port = 0
  public let options: Options
  private var process: Process?

  /// Writes the configuration and starts nginx; returns once it accepts connections (waiting
  /// with Task.sleep, not on a thread).
  public init(options: Options = Options()) async throws {
    self.options = options
    directory = try TemporaryDirectory(prefix: "tripgen-nginx")
    for folder in ["www", "uploads", "temp"] {
      try FileManager.default.createDirectory(
        atPath: "\(directory.path)/\(folder)", withIntermediateDirectories: true)
    }
    var lastError: any Error = TestSupportError.serverDidNotStart("nginx", log: "")
    // A picked port can be taken by someone else before nginx binds it: try a few.
    for _ in 0..<3 {
      do {
        try await start(port: FreePort.pick())
        return
      } catch {
        lastError = error
      }
    }
    throw lastError
  }

  deinit { stop() }

  /// Files in this directory are served at `/`.
  public var documentRoot: String { options.documentRoot ?? "\(directory.path)/www" }
  /// `PUT /uploads/NAME` stores NAME here.
  public var uploadsDirectory: String { "\(directory.path)/uploads" }
  public var accessLogPath: String { "\(directory.path)/access.log" }

  /// `http(s)://127.0.0.1:PORT` followed by `pathAndQuery`.
  public func url(_ pathAndQuery: String, host: String = "127.0.0.1") -> URL {
    let scheme = options.tls == nil ? "http" : "https"
    return URL(string: "\(scheme)://\(host):\(port)\(pathAndQuery)")!
  }

  /// One line of the access log.
  public struct LoggedRequest: Sendable, Equatable {
    /// nginx's connection serial number: equal numbers mean one reused connection.
    public let connection: Int
    public let method: String
    public let uri: String
    public let status: Int
    /// Bytes of the request: request line, headers and body.
    public let requestLength: Int64
  }

  /// The requests logged so far, in order (nginx logs a request when it ends).
  public func loggedRequests() -> [LoggedRequest] {
    let log = (try? String(contentsOfFile: accessLogPath, encoding: .utf8)) ?? ""
    return log.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ")
      guard fields.count == 5, let connection = Int(fields[0]), let status = Int(fields[3]),
        let length = Int64(fields[4])
      else { return nil }
      return LoggedRequest(
        connection: connection, method: String(fields[1]), uri: String(fields[2]),
        status: status, requestLength: length)
    }
  }

  /// The connection serial number of each logged request, in order.
  public func loggedConnectionNumbers() -> [Int] { loggedRequests().map(\.connection) }

  /// Stops nginx (SIGTERM, then SIGKILL after 5 s); idempotent. It blocks while nginx exits
  /// (milliseconds), because deinit, which calls it, cannot suspend.
  public func stop() {
    guard let process else { return }
    self.process = nil
    guard process.isRunning else { return }
    process.terminate()
    let deadline = ContinuousClock.now + .seconds(5)
    while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  private func start(port: Int) async throws {
    let configuration = self.configuration(port: port)
    try configuration.write(
      toFile: "\(directory.path)/nginx.conf", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.executable)
    process.arguments = [
      "-p", directory.path, "-c", "nginx.conf", "-e", "\(directory.path)/error.log",
      "-g", "daemon off;",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw TestSupportError.serverDidNotStart("nginx (\(Self.executable))", log: "\(error)")
    }
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
      if FreePort.isAccepting(port) {
        self.port = port
        self.process = process
        return
      }
      if !process.isRunning { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    let log = (try? String(contentsOfFile: "\(directory.path)/error.log", encoding: .utf8)) ?? ""
    throw TestSupportError.serverDidNotStart("nginx on port \(port)", log: log)
  }

  private func configuration(port: Int) -> String {
    let root = directory.path
    var listen = "listen 127.0.0.1:\(port)"
    var tlsDirectives = ""
    if let tls = options.tls {
      listen += " ssl"
      if options.http2 { listen += " http2" }
      tlsDirectives = """
            ssl_certificate \(tls.serverCertificatePath);
            ssl_certificate_key \(tls.serverKeyPath);
            ssl_protocols TLSv1.2 TLSv1.3;
        """
      if options.requiresClientCertificate {
        tlsDirectives += """

              ssl_client_certificate \(tls.caCertificatePath);
              ssl_verify_client on;
          """
      }
    }
    // Root runs workers as "nobody" unless told otherwise, and nobody cannot write the uploads
    // and temporary folders a root test process created.
    let user = geteuid() == 0 ? "user root;" : ""
    return """
      \(user)
      worker_processes 1;
      pid \(root)/nginx.pid;
      error_log \(root)/error.log info;
      events { worker_connections 1024; }
      http {
          default_type application/octet-stream;
          log_format connections '$connection $request_method $uri $status $request_length';
          access_log \(root)/access.log connections;
          client_body_temp_path \(root)/temp/client_body;
          proxy_temp_path \(root)/temp/proxy;
          fastcgi_temp_path \(root)/temp/fastcgi;
          uwsgi_temp_path \(root)/temp/uwsgi;
          scgi_temp_path \(root)/temp/scgi;
          client_max_body_size 0;
          sendfile on;
          keepalive_requests 10000;
          server {
              \(listen);
              server_name localhost;
      \(tlsDirectives)
              root \(documentRoot);
              location /uploads/ {
                  alias \(root)/uploads/;
                  dav_methods PUT DELETE;
                  create_full_put_path on;
                  dav_access user:rw group:r all:r;
              }
              # Reads and drops any body: for uploads whose content does not matter.
              location = /discard {
                  return 204;
              }
      \(options.extraServerDirectives)
          }
      }

      """
  }
}
