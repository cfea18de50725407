import Foundation
import Synchronization

/// The secrets of a run: each is registered with the runner (`::add-mask::`) the moment it is
/// known, before anything could print it, and replaced by `***` in everything this process writes.
public final class SecretMasker: Sendable {
  private let state = Mutex<[String]>([])
  private let emit: @Sendable (String) -> Void

  /// `emit` writes a workflow command line (standard output in GitHub Actions; nothing elsewhere).
  public init(emit: @escaping @Sendable (String) -> Void) {
    self.emit = emit
  }

  /// Registers `secret` (and, for multi-line secrets, each of its lines, as the runner masks line
  /// by line). Short values are not masked: masking `a` would garble every line.
  public func register(_ secret: String) {
    let parts = [secret] + secret.split(whereSeparator: \.isNewline).map(String.init)
    for part in parts {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard trimmed.count >= 4 else { continue }
      let added = state.withLock { secrets -> Bool in
        guard !secrets.contains(trimmed) else { return false }
        secrets.append(trimmed)
        // Longest first, so that a secret containing another is masked whole.
        secrets.sort { $0.count > $1.count }
        return true
      }
      if added { emit(WorkflowCommand.addMask(trimmed).description) }
    }
  }

  /// `text` with every registered secret replaced by `***`.
  public func mask(_ text: String) -> String {
    let secrets = state.withLock { $0 }
    var result = text
    for secret in secrets where result.contains(secret) {
      result = result.replacingOccurrences(of: secret, with: "***")
    }
    return result
  }
}
