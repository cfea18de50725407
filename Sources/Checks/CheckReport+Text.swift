import Foundation

/// The report as people read it: the capacity and cost tables, then every finding, then a verdict.
extension CheckReport {
  public var text: String {
    var out = "Environment \(environment) at \(revision): \(objects) objects\n"
    let schemaErrors = findings.filter { $0.check == .schema && $0.severity == .error }.count
    out +=
      "\nSchemas (Kubernetes \(KubernetesSchemas.kubernetesVersion), strict): "
      + (schemaErrors == 0 ? "every object validates\n" : "\(schemaErrors) errors\n")
    if let capacity { out += "\n" + capacity.text }
    if let cost { out += "\n" + cost.text }
    for reason in skipped { out += "\nskipped \(reason)\n" }
    if !findings.isEmpty {
      out += "\nFindings:\n"
      for kind in CheckKind.allCases {
        for finding in findings where finding.check == kind {
          out += "  [\(kind.rawValue)] \(finding)\n"
        }
      }
    }
    out +=
      passed
      ? "\nPASS: \(warnings.count) warning\(warnings.count == 1 ? "" : "s")\n"
      : "\nFAIL: \(errors.count) error\(errors.count == 1 ? "" : "s"), \(warnings.count) "
        + "warning\(warnings.count == 1 ? "" : "s")\n"
    return out
  }
}

extension CapacityReport {
  /// The table of workloads, the totals against the pool, and the headroom.
  public var text: String {
    let cpu = ResourceQuantity.formatCPU
    let memory = ResourceQuantity.formatMemory
    var rows: [[String]] = [["workload", "pods", "cpu req", "mem req", "cpu lim", "mem lim", ""]]
    for row in self.rows {
      rows.append([
        row.workload, "\(row.pods)", cpu(row.cpuRequest), memory(row.memoryRequest),
        cpu(row.cpuLimit), memory(row.memoryLimit), row.note ?? "",
      ])
    }
    rows.append([
      "total", "\(pods)", cpu(requestedCPU), memory(requestedMemory), cpu(limitCPU),
      memory(limitMemory), "",
    ])
    rows.append([
      "allocatable (\(nodes) x \(vmSize))", "\(podCapacity - systemPods)", cpu(allocatableCPU),
      memory(allocatableMemory), cpu(allocatableCPU), memory(allocatableMemory), "",
    ])
    rows.append([
      "headroom", "\(podHeadroom)", cpu(cpuHeadroom), memory(memoryHeadroom),
      cpu(allocatableCPU - limitCPU), memory(allocatableMemory - limitMemory), "",
    ])
    return "Capacity (requests must fit; limits may overcommit):\n" + Table.render(rows)
      + "  per node: \(cpu(allocatableCPUPerNode)) CPU, \(memory(allocatableMemoryPerNode)) memory "
      + "allocatable after \(cpu(reservations.kubeReservedCPU)) / "
      + "\(memory(reservations.kubeReservedMemory)) kube-reserved and "
      + "\(memory(reservations.evictionThreshold)) eviction threshold\n"
      + "  formula: \(reservations.formula)\n"
      + "  pods: \(pods) of the environment + about \(systemPods) AKS system pods (assumed) of "
      + "maxPods \(podCapacity)\n"
  }
}

extension CostReport {
  /// The cost lines, the total, the schedule's saving and the budget.
  public var text: String {
    let money = { CostCheck.money($0, currency) }
    var rows: [[String]] = [["item", "monthly", "sleeps"]]
    for line in lines {
      rows.append([line.item, money(line.monthly), line.scalesWithSchedule == true ? "yes" : ""])
    }
    rows.append(["total, awake all week", money(total), ""])
    let awake = Int(awakeHoursPerWeek.rounded())
    rows.append([
      "shutdown schedule (awake \(awake) of 168 h a week)", "-" + money(scheduleSavings), "",
    ])
    rows.append(["estimate", money(scheduledTotal), ""])
    rows.append(["budget", money(budget), ""])
    rows.append(["headroom", money(headroom), ""])
    return "Cost (monthly):\n" + Table.render(rows)
  }
}

/// Left-aligned text columns, two spaces apart.
enum Table {
  static func render(_ rows: [[String]]) -> String {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in
      rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
    }
    return rows.map { row in
      "  "
        + row.enumerated().map { index, cell in
          cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ").trimmingTrailingSpaces()
    }.joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
