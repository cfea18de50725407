import ArgumentParser
import Delivery
import Environments
import Foundation
import GitOps

/// `tripgen sync --env dev`: makes the cluster equal to the environment's desired state.
struct SyncCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Apply an environment's desired state: waves, hooks, health, prune, history.",
    discussion: """
      Everything is rendered and dry-run on the server first; nothing is applied unless all of it \
      passed. Objects are then applied wave by wave with server-side apply (field manager \
      tripgen), each wave waited for until healthy; hooks run in their phase; stale objects of \
      the inventory are pruned last. Ctrl-C stops before the next write: each object is applied \
      or untouched, and the next sync finishes.
      """)

  @OptionGroup var options: GitOpsEnvironmentOptions

  @Flag(name: .customLong("dry-run"), help: "Plan and dry-run on the server; write nothing.")
  var dryRun = false

  @Flag(help: "Delete objects that left the desired state (default: the sync policy's prune).")
  var prune = false

  @Flag(name: .customLong("allow-mass-prune"), help: "Allow pruning more than half the objects.")
  var allowMassPrune = false

  @Flag(
    help: ArgumentHelp(
      "Take over objects that exist in the cluster without this environment's tracking marks.",
      discussion: """
        Without it such a sync is refused before anything is written, and the plan names each \
        object (annotating an object tripgen.io/adopt=true allows it too).
        """))
  var adopt = false

  @Flag(help: "Also wait for the last wave to become healthy.")
  var wait = false

  @Option(help: "How long a wave may take to become healthy (Go duration: 90s, 5m).")
  var timeout = "5m"

  @Option(name: .shortAndLong, help: "Output format of the result: table, json or yaml.")
  var output: GitOpsOutputFormat = .table

  func run() async throws {
    let desired = try await options.desiredState()
    let engine = try options.engine(for: desired.environment)
    var syncOptions = SyncOptions()
    syncOptions.dryRun = dryRun
    syncOptions.prune = prune ? true : nil
    syncOptions.allowMassPrune = allowMassPrune
    syncOptions.adopt = adopt
    syncOptions.wait = wait
    syncOptions.timeout = try DurationSetting.seconds(timeout, field: "--timeout")
    syncOptions.trigger = Self.trigger()
    let result = try await Self.runCancellable(
      engine: engine, desired: desired, options: syncOptions, output: output)
    try Self.report(result, output: output)
  }

  /// Runs the sync with progress lines (standard error for json/yaml), cancelled by Ctrl-C.
  static func runCancellable(
    engine: GitOpsEngine, desired: DesiredState, options: SyncOptions, output: GitOpsOutputFormat
  ) async throws -> SyncResult {
    let toError = output != .table
    let task = Task {
      try await Delivery.sync(desired, on: engine, options: options) { event in
        guard let line = GitOpsPrinting.progressLine(event) else { return }
        if toError { GitOpsPrinting.printError(line) } else { print(line) }
      }
    }
    let interrupt = InterruptHandler { task.cancel() }
    defer { interrupt.stop() }
    return try await task.value
  }

  static func report(_ result: SyncResult, output: GitOpsOutputFormat) throws {
    switch output {
    case .json, .yaml:
      print(try GitOpsPrinting.encoded(SyncReport(result), as: output), terminator: "")
    case .table:
      switch result.outcome {
      case .dryRun:
        print(GitOpsPrinting.planTable(result.plan, all: false), terminator: "")
        print("dry run: nothing written")
      case .unchanged:
        print(
          "\(result.plan.environment.name) is in sync at \(result.plan.revision): nothing written")
      case .succeeded:
        print(
          "synced \(result.plan.environment.name) to \(result.plan.revision): "
            + "\(result.applied.count) applied, \(result.pruned.count) pruned"
            + (result.historyID.map { " (history #\($0))" } ?? ""))
      }
    }
  }

  /// `manual: user@host`.
  static func trigger() -> String {
    let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    return "manual: \(user)@\(ProcessInfo.processInfo.hostName)"
  }
}

/// A sync's result as data.
struct SyncReport: Codable {
  var outcome: String
  var applied: [String]
  var pruned: [String]
  var historyID: Int?
  var attempts: Int
  var plan: PlanSummary

  init(_ result: SyncResult) {
    outcome = result.outcome.rawValue
    applied = result.applied.map(\.description)
    pruned = result.pruned.map(\.description)
    historyID = result.historyID
    attempts = result.attempts
    plan = PlanSummary(result.plan)
  }
}

/// Turns the first Ctrl-C into a cancellation; a second one exits at once.
final class InterruptHandler {
  private let source: any DispatchSourceSignal

  init(_ cancel: @escaping @Sendable () -> Void) {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    let count = Counter()
    source.setEventHandler {
      if count.increment() > 1 { exit(130) }
      FileHandle.standardError.write(
        Data("interrupted: stopping before the next write (Ctrl-C again to quit now)\n".utf8))
      cancel()
    }
    source.resume()
    self.source = source
  }

  func stop() {
    source.cancel()
    signal(SIGINT, SIG_DFL)
  }

  private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int {
      lock.withLock {
        value += 1
        return value
      }
    }
  }
}
