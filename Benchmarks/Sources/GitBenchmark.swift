import ArgumentParser
import Foundation
import Git

/// `tripgen-bench git`: the Git module against the git command, in the same run, over file:// (git's
/// pack protocol through a local upload-pack, for both).
///
/// - a fresh mirror of a 10,000-commit repository (with a 5,000-file directory) vs `git clone --mirror`;
/// - an incremental fetch of 10 new commits into a mirror vs `git fetch` into git's mirror;
/// - reading the 5,000-file directory at a commit into memory vs `git archive` of it to /dev/null.
struct GitBenchmark: AsyncParsableCommand {

  static let configuration = CommandConfiguration(
    commandName: "git", abstract: "Mirror, fetch and read a subtree: libgit2 vs the git command.")

  @Option(help: "Commits in the generated repository.")
  var commits = 10_000

  @Option(help: "Files in the directory that is read into memory.")
  var files = 5_000

  @Option(help: "Repetitions of each measurement; the best is reported.")
  var runs = 3

  func run() async throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/git") else {
      throw BenchmarkError.missingTool("git", hint: "apt-get install git")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tripgen-bench-git-\(UUID().uuidString.prefix(8))"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let source = directory + "/source.git"
    let url = "file://" + source

    print(
      "Generating a \(commits)-commit repository with a \(files)-file directory (git fast-import)..."
    )
    try git(["init", "--quiet", "--bare", "--initial-branch=main", source])
    try git(
      ["-C", source, "fast-import", "--quiet"], input: history(commits: commits, files: files))

    let daemon = try GitDaemon(root: directory)
    defer { daemon.stop() }
    for (index, (label, url)) in [("file://", url), ("git daemon", daemon.url("source.git"))]
      .enumerated()
    {
      print("\nOver \(label) (\(url)):")
      try await measure(
        url: url, source: source, directory: directory + "/" + label.filter(\.isLetter),
        firstRound: index * runs)
    }
    print("  peak resident memory of this process: \(formatBytes(Measurement.peakResidentBytes()))")
  }

  /// Mirrors, fetches and reads over one URL of the source repository.
  private func measure(url: String, source: String, directory: String, firstRound: Int) async throws
  {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // A fresh mirror.
    var ours = Double.infinity
    var reference = Double.infinity
    for run in 0..<runs {
      let ourMirror = directory + "/ours-\(run)"
      ours = min(
        ours,
        try await Measurement.secondsAsync {
          let mirror = try await GitRepository.mirror(of: url, in: ourMirror)
          _ = try await mirror.fetch()
        })
      let gitMirror = directory + "/git-\(run).git"
      reference = min(
        reference,
        try Measurement.run(["git", "clone", "--quiet", "--mirror", url, gitMirror]).seconds)
      if run < runs - 1 {
        try FileManager.default.removeItem(atPath: ourMirror)
        try FileManager.default.removeItem(atPath: gitMirror)
      }
    }
    report(
      "  fresh mirror of \(commits) commits", ours: ours, reference: reference,
      tool: "git clone --mirror")

    // Incremental fetches of 10 new commits, into the last mirrors of each.
    let ourMirror = try await GitRepository.mirror(of: url, in: directory + "/ours-\(runs - 1)")
    let gitMirror = directory + "/git-\(runs - 1).git"
    ours = .infinity
    reference = .infinity
    for round in 0..<runs {
      try git(
        ["-C", source, "fast-import", "--quiet"], input: moreCommits(10, round: firstRound + round))
      var fetched = 0
      ours = min(
        ours,
        try await Measurement.secondsAsync {
          fetched = try await ourMirror.fetch().updates.count
        })
      guard fetched == 1 else {
        throw BenchmarkError.referenceFailed(
          "our fetch updated \(fetched) references, not 1", status: 0)
      }
      reference = min(
        reference,
        try Measurement.run(["git", "-C", gitMirror, "fetch", "--quiet", "--prune"]).seconds)
    }
    report("  incremental fetch of 10 commits", ours: ours, reference: reference, tool: "git fetch")

    // Reading the big directory into memory.
    let tip = try await ourMirror.resolve("main")
    var fileCount = 0
    ours = .infinity
    for _ in 0..<max(runs, 5) {
      ours = min(
        ours,
        try await Measurement.secondsAsync {
          fileCount = try await ourMirror.subtree("charts/big", at: tip.id).files.count
        })
    }
    guard fileCount == files else {
      throw BenchmarkError.referenceFailed("read \(fileCount) files, expected \(files)", status: 0)
    }
    reference = .infinity
    for _ in 0..<max(runs, 5) {
      reference = min(
        reference,
        try Measurement.run([
          "git", "-C", gitMirror, "archive", "--format=tar", "-o", "/dev/null", "main:charts/big",
        ]).seconds)
    }
    report(
      "  read a \(files)-file directory into memory", ours: ours, reference: reference,
      tool: "git archive to /dev/null")
    print(
      String(
        format: "  subtree read target (< 50 ms): %@ (%.1f ms)", ours < 0.050 ? "met" : "NOT met",
        ours * 1000))
  }

  private func report(_ what: String, ours: Double, reference: Double, tool: String) {
    print(
      String(
        format: "%@: tripgen %.1f ms, %@ %.1f ms, ratio %.2fx", what, ours * 1000, tool,
        reference * 1000, ours / reference))
  }

  /// A fast-import stream: one commit adding `files` files under charts/big/, then commits that each
  /// change one of 100 files under src/.
  private func history(commits: Int, files: Int) -> Data {
    var stream = ""
    stream.reserveCapacity(commits * 200 + files * 150)
    for index in 0..<commits {
      var body = ""
      if index == 0 {
        for file in 0..<files {
          let content =
            "name: item-\(file)\nreplicas: \(file % 7)\nimage: registry.example/item:\(file)\n"
          body += "M 100644 inline charts/big/group-\(file / 100)/item-\(file).yaml\n"
          body += "data \(content.utf8.count)\n\(content)\n"
        }
      }
      let content = "commit \(index)\n"
      body +=
        "M 100644 inline src/file-\(index % 100).txt\ndata \(content.utf8.count)\n\(content)\n"
      // Within one fast-import session a commit continues its branch without `from`.
      stream += commitHeader(message: "Commit \(index)", time: 1_700_000_000 + index)
      stream += body + "\n"
    }
    return Data(stream.utf8)
  }

  private func moreCommits(_ count: Int, round: Int) -> Data {
    var stream = ""
    for index in 0..<count {
      let content = "round \(round) commit \(index)\n"
      stream += commitHeader(message: "Round \(round) commit \(index)", time: 1_800_000_000 + index)
      // A new session continues the branch from the repository's ref only when told to.
      if index == 0 { stream += "from refs/heads/main^0\n" }
      stream +=
        "M 100644 inline src/new-\(round)-\(index).txt\ndata \(content.utf8.count)\n\(content)\n\n"
    }
    return Data(stream.utf8)
  }

  private func commitHeader(message: String, time: Int) -> String {
    "commit refs/heads/main\ncommitter Bench <bench@example.test> \(time) +0000\n"
      + "data \(message.utf8.count)\n\(message)\n"
  }

  /// Runs a setup git command (not timed), feeding it `input`.
  private func git(_ arguments: [String], input: Data? = nil) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = arguments
    let pipe = Pipe()
    if input != nil { process.standardInput = pipe }
    try process.run()
    if let input {
      pipe.fileHandleForWriting.write(input)
      try pipe.fileHandleForWriting.close()
    }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw BenchmarkError.referenceFailed(
        "git " + arguments.joined(separator: " "), status: process.terminationStatus)
    }
  }
}

/// `git daemon` (the binary from git's exec path, so that killing it stops it) exporting a directory on
/// an ephemeral 127.0.0.1 port.
private struct GitDaemon {
  let port: Int
  let process: Process

  init(root: String) throws {
    port = try Self.freePort()
    let execPath = Process()
    execPath.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    execPath.arguments = ["--exec-path"]
    let pipe = Pipe()
    execPath.standardOutput = pipe
    try execPath.run()
    let gitCore = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    execPath.waitUntilExit()
    process = Process()
    process.executableURL = URL(fileURLWithPath: gitCore + "/git-daemon")
    process.arguments = [
      "--reuseaddr", "--export-all", "--base-path=\(root)", "--listen=127.0.0.1", "--port=\(port)",
    ]
    process.standardError = FileHandle.nullDevice
    try process.run()
    for _ in 0..<500 {
      if Self.accepts(port) { break }
      usleep(10_000)
    }
  }

  func url(_ repository: String) -> String { "git://127.0.0.1:\(port)/\(repository)" }

  /// SIGKILL: children started by Foundation's Process inherit a signal mask that blocks SIGTERM.
  func stop() {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  private static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard ok else {
      throw BenchmarkError.missingTool("a free 127.0.0.1 port", hint: "errno \(errno)")
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  private static func accepts(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}
