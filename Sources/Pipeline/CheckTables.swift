import Checks
import Foundation

/// `tripgen check`'s results in the job summary: the capacity table (requests and limits per
/// workload against the node pool), the cost table (against the budget), and every finding.
enum CheckTables {
  static func add(_ checks: CheckReport, to summary: inout MarkdownSummary) {
    summary.heading("Checks", level: 3)
    summary.paragraph(
      "\(checks.objects) objects: \(checks.errors.count) error(s), "
        + "\(checks.warnings.count) warning(s)"
        + (checks.skipped.isEmpty ? "" : "; skipped: \(checks.skipped.joined(separator: "; "))"))
    if let capacity = checks.capacity {
      let cpu = ResourceQuantity.formatCPU
      let memory = ResourceQuantity.formatMemory
      summary.paragraph(
        "Capacity: \(capacity.nodes) x \(capacity.vmSize), allocatable "
          + "\(cpu(capacity.allocatableCPU)) CPU, \(memory(capacity.allocatableMemory)) memory, "
          + "\(capacity.podCapacity) pods")
      var rows = capacity.rows.map {
        [
          $0.workload, String($0.pods), cpu($0.cpuRequest), memory($0.memoryRequest),
          cpu($0.cpuLimit), memory($0.memoryLimit),
        ]
      }
      rows.append([
        "total", String(capacity.pods), cpu(capacity.requestedCPU),
        memory(capacity.requestedMemory), cpu(capacity.limitCPU), memory(capacity.limitMemory),
      ])
      rows.append([
        "headroom", String(capacity.podHeadroom), cpu(capacity.cpuHeadroom),
        memory(capacity.memoryHeadroom), "", "",
      ])
      summary.table(
        ["workload", "pods", "cpu request", "memory request", "cpu limit", "memory limit"], rows,
        alignRight: [1, 2, 3, 4, 5])
    }
    if let cost = checks.cost {
      let money = { (amount: Double) in String(format: "%.2f", amount) + " " + cost.currency }
      summary.table(
        ["cost (monthly)", "amount"],
        [
          ["total, always awake", money(cost.total)],
          ["schedule saves", money(cost.scheduleSavings)],
          ["estimate with the schedule", money(cost.scheduledTotal)],
          ["budget", money(cost.budget)],
          ["headroom", money(cost.headroom)],
        ], alignRight: [1])
    }
    if !checks.findings.isEmpty {
      summary.table(
        ["severity", "check", "object", "source", "message"],
        checks.findings.map {
          [
            $0.severity.rawValue, $0.check.rawValue, $0.object ?? "", $0.source ?? "",
            ($0.field.map { "\($0): " } ?? "") + $0.message,
          ]
        })
    }
  }
}
