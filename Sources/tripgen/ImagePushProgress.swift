import Foundation
import OCI
import Registry
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Shows how a push is going. On a terminal: the progress lines scroll above one status line
/// that is redrawn in place (blobs done, bytes sent of the total, rate), at most ten times a
/// second. Elsewhere (a pipe, a file, `CI=true`, `TERM=dumb`): plain lines only, with a progress
/// line every few seconds while bytes move, and a summary at the end.
final class PushProgressDisplay: Sendable {
  enum Mode: Equatable {
    case terminal
    case plain
  }

  private struct State {
    var blobCount = 0
    var totalBytes = 0
    var finishedBlobs = 0
    var finishedBytes = 0
    /// Bytes actually sent (not present or mounted blobs), finished blobs included.
    var uploadedBytes = 0
    var inFlight: [Digest: Int] = [:]
    var started: ContinuousClock.Instant?
    var lastReport: ContinuousClock.Instant?
    var statusShown = false
  }

  let mode: Mode
  private let handle: FileHandle
  private let state = Mutex(State())
  private let clock = ContinuousClock()
  /// How often plain mode prints a progress line while bytes move.
  private let plainInterval: Duration = .seconds(5)

  init(handle: FileHandle, mode: Mode) {
    self.handle = handle
    self.mode = mode
  }

  /// The display for `handle`: terminal mode when it is a terminal and the environment is not CI.
  static func make(
    for handle: FileHandle, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> PushProgressDisplay {
    let isCI = ["true", "1"].contains(environment["CI"]?.lowercased() ?? "")
    let dumb = environment["TERM"] == "dumb"
    let terminal = isatty(handle.fileDescriptor) == 1 && !isCI && !dumb
    return PushProgressDisplay(handle: handle, mode: terminal ? .terminal : .plain)
  }

  /// A progress line: printed above the status line.
  func line(_ text: String) {
    state.withLock { state in
      var output = clearStatus(&state)
      output += text + "\n"
      if state.started != nil, mode == .terminal { output += status(&state) }
      write(output)
    }
  }

  /// A push event: updates the counts and the status line.
  func event(_ event: PushEvent) {
    state.withLock { state in
      let now = clock.now
      switch event {
      case .started(let blobs):
        state.blobCount = blobs.count
        state.totalBytes = blobs.reduce(0) { $0 + $1.size }
        state.started = now
      case .blobProgress(let digest, let sent):
        state.inFlight[digest] = sent
      case .blobFinished(let blob, let transfer):
        state.inFlight[blob.digest] = nil
        state.finishedBlobs += 1
        state.finishedBytes += blob.size
        if transfer == .uploaded || transfer == .uploadedInChunks {
          state.uploadedBytes += blob.size
        }
      case .tagged:
        return
      }
      switch mode {
      case .terminal:
        if let last = state.lastReport, now - last < .milliseconds(100),
          case .blobProgress = event
        {
          return
        }
        state.lastReport = now
        write(clearStatus(&state) + status(&state))
      case .plain:
        guard case .blobProgress = event else { return }
        guard let started = state.started else { return }
        let last = state.lastReport ?? started
        guard now - last >= plainInterval else { return }
        state.lastReport = now
        write(summary(state, verb: "progress") + "\n")
      }
    }
  }

  /// Clears the status line and prints what was sent, how fast.
  func finish() {
    state.withLock { state in
      guard state.started != nil else { return }
      write(clearStatus(&state) + summary(state, verb: "sent") + "\n")
    }
  }

  private func clearStatus(_ state: inout State) -> String {
    guard state.statusShown else { return "" }
    state.statusShown = false
    return "\r\u{1B}[K"
  }

  /// The status line (no newline: the next output overwrites it).
  private func status(_ state: inout State) -> String {
    state.statusShown = true
    let sent = state.finishedBytes + state.inFlight.values.reduce(0, +)
    return "blobs \(state.finishedBlobs)/\(state.blobCount), "
      + "\(Self.size(sent)) of \(Self.size(state.totalBytes)), \(rate(state))"
  }

  private func summary(_ state: State, verb: String) -> String {
    let uploaded = state.uploadedBytes + state.inFlight.values.reduce(0, +)
    let elapsed = state.started.map { clock.now - $0 } ?? .zero
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return
      "\(verb) \(Self.size(uploaded)) in \(String(format: "%.1f", seconds)) s (\(rate(state))); "
      + "blobs \(state.finishedBlobs)/\(state.blobCount) in the repository"
  }

  private func rate(_ state: State) -> String {
    guard let started = state.started else { return "0 B/s" }
    let elapsed = clock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    guard seconds > 0.001 else { return "- B/s" }
    let uploaded = state.uploadedBytes + state.inFlight.values.reduce(0, +)
    return Self.size(Int(Double(uploaded) / seconds)) + "/s"
  }

  /// 1536 → `1.5 KiB`.
  static func size(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }

  private func write(_ text: String) {
    guard !text.isEmpty else { return }
    handle.write(Data(text.utf8))
  }
}
