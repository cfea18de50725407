import Foundation

/// Smart HTTP: `git http-backend` behind nginx and fcgiwrap on 127.0.0.1, with basic authentication
/// from an htpasswd file, serving the bare repositories under a directory.
///
/// Everything (config, pid, logs, temp paths, the fcgiwrap socket) lives in the given temporary
/// directory; nothing under /etc or /var is used.
public final class GitHTTPServer: @unchecked Sendable {
  /// The port nginx listens on.
  public let port: Int
  /// The user name basic authentication accepts.
  public let username: String
  private let nginx: ServerProcess
  private let fcgiwrap: ServerProcess

  /// Whether nginx serves HTTPS.
  public let usesTLS: Bool

  /// Starts fcgiwrap on a unix socket and nginx in front of it. `password` is stored as an apr1 hash.
  /// With `certificates`, nginx serves HTTPS with their server certificate.
  public init(
    root: String, username: String, password: String, directory: TemporaryDirectory,
    certificates: GitTestCertificates? = nil
  ) throws {
    self.username = username
    self.usesTLS = certificates != nil
    let base = directory.file("git-http").path
    let temp = base + "/temp"
    try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
    let hash = try GitTestProcess.run(
      "/usr/bin/openssl", ["passwd", "-apr1", "-stdin"], input: Data(password.utf8)
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    try "\(username):\(hash)\n".write(toFile: base + "/htpasswd", atomically: true, encoding: .utf8)

    let socket = base + "/fcgiwrap.sock"
    fcgiwrap = try ServerProcess(
      name: "fcgiwrap", executable: "/usr/sbin/fcgiwrap",
      arguments: ["-c", "4", "-s", "unix:\(socket)"], log: directory.file("fcgiwrap.log"),
      environment: [:])
    let deadline = ContinuousClock.now + .seconds(10)
    while !FileManager.default.fileExists(atPath: socket), ContinuousClock.now < deadline {
      usleep(10_000)
    }

    port = try FreePort.pick()
    // As root, nginx's workers would otherwise run as nobody and could not connect to the socket.
    let user = getuid() == 0 ? "user root;" : ""
    let tls =
      certificates.map {
        "ssl_certificate \($0.serverCertificate);\n    ssl_certificate_key \($0.serverKey);"
      } ?? ""
    let configuration = """
      \(user)
      worker_processes 1;
      pid \(base)/nginx.pid;
      error_log \(base)/error.log info;
      events { worker_connections 64; }
      http {
        access_log \(base)/access.log;
        client_body_temp_path \(temp)/body;
        proxy_temp_path \(temp)/proxy;
        fastcgi_temp_path \(temp)/fastcgi;
        uwsgi_temp_path \(temp)/uwsgi;
        scgi_temp_path \(temp)/scgi;
        server {
          listen 127.0.0.1:\(port)\(certificates == nil ? "" : " ssl");
          \(tls)
          client_max_body_size 0;
          location / {
            auth_basic "git";
            auth_basic_user_file \(base)/htpasswd;
            fastcgi_pass unix:\(socket);
            fastcgi_buffering off;
            fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
            fastcgi_param GIT_PROJECT_ROOT \(root);
            fastcgi_param GIT_HTTP_EXPORT_ALL "";
            fastcgi_param PATH_INFO $uri;
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param CONTENT_TYPE $content_type;
            fastcgi_param CONTENT_LENGTH $content_length;
            fastcgi_param REMOTE_USER $remote_user;
            fastcgi_param REMOTE_ADDR $remote_addr;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
            fastcgi_param GATEWAY_INTERFACE CGI/1.1;
            fastcgi_param HTTP_GIT_PROTOCOL $http_git_protocol;
          }
        }
      }
      """
    try configuration.write(toFile: base + "/nginx.conf", atomically: true, encoding: .utf8)
    do {
      nginx = try GitTestProcess.startServer(
        name: "nginx", executable: "/usr/sbin/nginx",
        arguments: [
          "-p", base, "-c", base + "/nginx.conf", "-e", base + "/error.log", "-g", "daemon off;",
        ],
        port: port, log: directory.file("nginx.log"))
    } catch {
      fcgiwrap.stop()
      throw error
    }
  }

  /// The http:// (or https://) URL of a repository under the root (`org/repo.git`).
  public func url(_ repository: String) -> String {
    "\(usesTLS ? "https" : "http")://127.0.0.1:\(port)/\(repository)"
  }

  /// Stops nginx and fcgiwrap.
  public func stop() {
    nginx.stop()
    fcgiwrap.stop()
  }

  deinit { stop() }
}
