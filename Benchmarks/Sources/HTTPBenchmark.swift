import ArgumentParser
import Foundation
import HTTP

#if canImport(Glibc)
  import Glibc
#endif

/// `tripgen-bench http`: downloads and uploads a large body through a local nginx with our
/// client and with the `curl` command, in the same run, and prints throughput, the ratio and our
/// peak memory (which must stay flat: bodies are streamed).
///
/// The nginx here is a small self-contained launcher rather than the tests' `NginxServer`: the
/// benchmark target must not depend on TestSupport (which pulls in SwiftNIO), and it needs only
/// plain http with a file and a body-discarding location.
struct HTTPBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "http",
    abstract: "Download and upload through a local nginx: our client against the curl command.")

  @Option(help: "Body size in MiB.")
  var sizeMiB = 1024

  @Option(help: "Runs per measurement; the best one counts.")
  var runs = 5

  func run() async throws {
    for tool in ["/usr/sbin/nginx", "/usr/bin/curl"]
    where !FileManager.default.fileExists(atPath: tool) {
      throw BenchmarkError.missingTool(tool, hint: "run scripts/setup (Debian nginx-light, curl)")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tripgen-bench-http-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let length = sizeMiB << 20
    let body = directory.appendingPathComponent("www/body.bin").path
    try FileManager.default.createDirectory(
      atPath: directory.appendingPathComponent("www").path, withIntermediateDirectories: true)
    try writeBody(length: length, to: body)

    let nginx = try BenchmarkNginx(directory: directory.path)
    defer { nginx.stop() }
    let download = nginx.url("/body.bin")
    let discard = nginx.url("/discard")
    let client = HTTPClient(configuration: HTTPClientConfiguration(retryPolicy: .never))
    let baseline = Measurement.peakResidentBytes()

    var ours = (download: Double.infinity, upload: Double.infinity)
    var curl = (download: Double.infinity, upload: Double.infinity)
    // Interleaved, so that a slow moment of the machine hits both tools alike.
    for _ in 0..<runs {
      curl.download = min(
        curl.download, try Measurement.run(["curl", "-sf", "-o", "/dev/null", download]).seconds)
      ours.download = min(
        ours.download,
        try await Measurement.secondsAsync {
          let response = try await client.execute(
            HTTPRequest(url: URL(string: download)!), to: .file(path: "/dev/null"))
          try response.ensureSuccess()
        })
      curl.upload = min(
        curl.upload,
        try Measurement.run(["curl", "-sf", "-o", "/dev/null", "-T", body, discard]).seconds)
      ours.upload = min(
        ours.upload,
        try await Measurement.secondsAsync {
          let response = try await client.execute(
            HTTPRequest(method: .put, url: URL(string: discard)!, body: .file(path: body)),
            to: .discard)
          try response.ensureSuccess()
        })
    }

    let megabytes = Double(length) / 1e6
    func line(_ name: String, _ ourSeconds: Double, _ curlSeconds: Double) -> String {
      let ourRate = megabytes / ourSeconds
      let curlRate = megabytes / curlSeconds
      return String(
        format: "%@ %@: tripgen %.0f MB/s, curl %.0f MB/s, ratio %.2f", name,
        formatBytes(length), ourRate, curlRate, ourRate / curlRate)
    }
    print("HTTP/1.1 over loopback to nginx, best of \(runs) runs")
    print(line("download", ours.download, curl.download))
    print(line("upload  ", ours.upload, curl.upload))
    let peak = Measurement.peakResidentBytes()
    print(
      "tripgen peak resident memory: \(formatBytes(peak)) (\(formatBytes(baseline)) before the "
        + "transfers; \(formatBytes(max(0, peak - baseline))) growth for \(formatBytes(length)) bodies)"
    )
  }

  /// A real (not sparse) file: 1 MiB of random bytes repeated, written once.
  private func writeBody(length: Int, to path: String) throws {
    var block = [UInt8](repeating: 0, count: 1 << 20)
    var generator = SystemRandomNumberGenerator()
    for index in block.indices { block[index] = generator.next() }
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var written = 0
    while written < length {
      let count = min(block.count, length - written)
      try handle.write(contentsOf: block[0..<count])
      written += count
    }
  }
}

/// nginx serving `DIRECTORY/www` and discarding bodies PUT to `/discard`, on a free port, with
/// every path it writes inside `directory`.
private final class BenchmarkNginx {
  let port: Int
  private let process: Process

  init(directory: String) throws {
    port = try Self.freePort()
    try FileManager.default.createDirectory(
      atPath: "\(directory)/temp", withIntermediateDirectories: true)
    let configuration = """
      \(geteuid() == 0 ? "user root;" : "")
      worker_processes 1;
      pid \(directory)/nginx.pid;
      error_log \(directory)/error.log;
      events { worker_connections 64; }
      http {
          access_log off;
          default_type application/octet-stream;
          client_body_temp_path \(directory)/temp/client_body;
          proxy_temp_path \(directory)/temp/proxy;
          fastcgi_temp_path \(directory)/temp/fastcgi;
          uwsgi_temp_path \(directory)/temp/uwsgi;
          scgi_temp_path \(directory)/temp/scgi;
          client_max_body_size 0;
          sendfile on;
          server {
              listen 127.0.0.1:\(port);
              root \(directory)/www;
              location = /discard { return 204; }
          }
      }

      """
    try configuration.write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
    process.arguments = [
      "-p", directory, "-c", "nginx.conf", "-e", "\(directory)/error.log", "-g", "daemon off;",
    ]
    try process.run()
    let deadline = ContinuousClock.now + .seconds(10)
    while !Self.accepts(port) {
      guard process.isRunning, ContinuousClock.now < deadline else {
        stop()
        let log = (try? String(contentsOfFile: "\(directory)/error.log", encoding: .utf8)) ?? ""
        throw BenchmarkError.missingTool("a running nginx", hint: "nginx did not start: \(log)")
      }
      usleep(20_000)
    }
  }

  func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

  func stop() {
    guard process.isRunning else { return }
    process.terminate()
    process.waitUntilExit()
  }

  private static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard named else {
      throw BenchmarkError.missingTool("a free port", hint: String(cString: strerror(errno)))
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  private static func accepts(_ port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}
