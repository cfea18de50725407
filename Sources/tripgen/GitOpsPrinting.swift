import Foundation
import GitOps
import Kube
import YAML

/// Output shared by the GitOps commands.
enum GitOpsPrinting {
  /// A Codable value as JSON or YAML.
  static func encoded(_ value: some Encodable, as format: GitOpsOutputFormat) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    if format == .json { return String(decoding: data, as: UTF8.self) + "\n" }
    return YAML.dump(try KubeJSON.decode([UInt8](data)))
  }

  /// Columns padded to their widest cell.
  static func table(_ header: [String], _ rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == cells.count - 1
          ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }.joined(separator: "   ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
  }

  /// The plan as a table: one line per object that is not unchanged, or every object with `all`.
  static func planTable(_ plan: SyncPlan, all: Bool) -> String {
    let rows = (plan.objects + plan.prune + plan.skipped).filter {
      all || $0.action != .unchanged
    }.map { object in
      [
        object.action.rawValue.uppercased(), object.order.phase.rawValue, String(object.order.wave),
        object.key.kind, object.key.namespace.isEmpty ? "-" : object.key.namespace, object.key.name,
        object.note ?? object.changedPaths.prefix(4).joined(separator: ", ")
          + (object.changedPaths.count > 4 ? ", ..." : ""),
      ]
    }
    return table(["ACTION", "PHASE", "WAVE", "KIND", "NAMESPACE", "NAME", "DETAIL"], rows)
  }

  /// A line for a progress event, or nil for events not shown.
  static func progressLine(_ event: SyncEvent) -> String? {
    switch event {
    case .planned(let plan):
      let counts = plan.counts
      var line =
        "plan: \(counts[.create] ?? 0) to create, \(counts[.update] ?? 0) to update, "
        + "\(counts[.unchanged] ?? 0) unchanged, \(counts[.runHook] ?? 0) hook(s), "
        + "\(counts[.prune] ?? 0) to prune"
      if plan.asleep { line += "; the environment sleeps: Deployments at 0 replicas" }
      if plan.lastSyncIncomplete {
        line += "; the last sync did not finish: hooks run and every object is waited for"
      }
      if !plan.untracked.isEmpty {
        line += "; \(plan.untracked.count) object(s) exist without our tracking marks"
      }
      return line
    case .waveStarted(let phase, let wave, let objects):
      return "\(phase.rawValue) wave \(wave): \(objects) object(s)"
    case .applied(let key, let action, let taken):
      let verb =
        switch action {
        case .create: "created"
        case .runHook: "started hook"
        default: "configured"
        }
      return "  \(verb) \(key.displayName)"
        + (taken.isEmpty ? "" : " (took over \(taken.joined(separator: "; ")))")
    case .hookDeleted(let key):
      return "  deleted hook \(key.displayName)"
    case .waiting(let key, let status, let message):
      return "  waiting for \(key.displayName): \(status)\(message.map { " - \($0)" } ?? "")"
    case .healthy(let key):
      return "  healthy \(key.displayName)"
    case .pruned(let key):
      return "  pruned \(key.displayName)"
    case .inventoryWritten:
      return nil
    case .retrying(let attempt, let delay, let error):
      return "attempt \(attempt) failed: \(error)\nretrying in \(delay)s"
    }
  }

  /// Writes to standard error.
  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }
}
