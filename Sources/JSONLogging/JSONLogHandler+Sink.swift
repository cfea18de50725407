import Foundation
import Synchronization

extension JSONLogHandler {
  /// Where lines go; a lock keeps lines from interleaving across threads.
  public final class Sink: Sendable {
    private let write: Mutex<(String) -> Void>

    /// Standard output, for the controller and the services alike. Kubernetes, like the
    /// twelve-factor app, takes a container's standard output as its stream of events, and log
    /// collectors record which stream each line came on (on AKS, Container Insights' `LogSource` is
    /// `stdout` or `stderr`); queries and alerts commonly take standard error for errors, so
    /// informational lines stay off it.
    public static let standardOutput = Sink { line in
      FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// A sink that hands each line (with its newline) to `write`, for tests.
    public init(_ write: @escaping @Sendable (String) -> Void) {
      self.write = Mutex(write)
    }

    func emit(_ line: String) {
      write.withLock { $0(line) }
    }
  }
}
