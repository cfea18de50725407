import Environments

/// The environment's monthly cost against its budget, and what the shutdown schedule saves.
public struct CostReport: Sendable, Equatable, Codable {
  public var currency: String
  public var budget: Double
  public var lines: [CostLine]
  /// Every line for a whole month, awake all the time.
  public var total: Double
  /// Hours per week the schedule keeps the environment awake (168 without a schedule).
  public var awakeHoursPerWeek: Double
  /// What the lines that scale with the schedule stop costing while it sleeps.
  public var scheduleSavings: Double
  /// `total - scheduleSavings`: the estimate with the schedule applied.
  public var scheduledTotal: Double
  /// `budget - scheduledTotal` (negative: over budget).
  public var headroom: Double
}

/// Sums the cost lines, applies the schedule (awake hours per week from its days, wake and sleep
/// times, to the lines marked `scalesWithSchedule`) and compares the estimate with the budget.
public enum CostCheck {
  public static let hoursPerWeek = 168.0

  public static func run(_ cost: CostModel, schedule: ShutdownSchedule?) -> (
    report: CostReport, findings: [CheckFinding]
  ) {
    var findings: [CheckFinding] = []
    let total = cost.lines.map(\.monthly).reduce(0, +)
    var awake = hoursPerWeek
    if let schedule {
      if let hours = awakeHours(schedule) {
        awake = hours
      } else {
        findings.append(
          CheckFinding(
            check: .cost, severity: .error, field: "spec.schedule",
            message: "wake \(schedule.wake) and sleep \(schedule.sleep) are not HH:MM times"))
      }
    }
    let scaling = cost.lines.filter { $0.scalesWithSchedule == true }.map(\.monthly).reduce(0, +)
    let savings = scaling * (1 - awake / hoursPerWeek)
    let report = CostReport(
      currency: cost.currency, budget: cost.monthlyBudget, lines: cost.lines, total: total,
      awakeHoursPerWeek: awake, scheduleSavings: savings, scheduledTotal: total - savings,
      headroom: cost.monthlyBudget - (total - savings))
    if report.scheduledTotal > cost.monthlyBudget {
      findings.append(
        CheckFinding(
          check: .cost, severity: .error,
          message:
            "the monthly estimate \(money(report.scheduledTotal, cost.currency)) exceeds the budget "
            + "\(money(cost.monthlyBudget, cost.currency)); largest lines: "
            + cost.lines.sorted { $0.monthly > $1.monthly }.prefix(3)
            .map { "\($0.item) \(money($0.monthly, cost.currency))" }.joined(separator: ", ")))
    } else if total > cost.monthlyBudget {
      findings.append(
        CheckFinding(
          check: .cost, severity: .warning,
          message:
            "only the shutdown schedule keeps the estimate under budget: "
            + "\(money(total, cost.currency)) awake all week"))
    }
    if schedule != nil, scaling == 0 {
      findings.append(
        CheckFinding(
          check: .cost, severity: .warning, field: "spec.cost.lines",
          message:
            "the environment has a shutdown schedule but no cost line has scalesWithSchedule: "
            + "true, so it saves nothing on paper"))
    }
    return (report, findings)
  }

  /// Awake hours per week: the days times the hours from wake to sleep (past midnight when sleep is
  /// not after wake).
  static func awakeHours(_ schedule: ShutdownSchedule) -> Double? {
    guard let wake = minutes(schedule.wake), let sleep = minutes(schedule.sleep) else { return nil }
    let perDay = sleep > wake ? sleep - wake : 24 * 60 - wake + sleep
    return Double(schedule.days.count * perDay) / 60
  }

  private static func minutes(_ clock: String) -> Int? {
    let parts = clock.split(separator: ":")
    guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
      (0..<24).contains(hours), (0..<60).contains(minutes)
    else { return nil }
    return hours * 60 + minutes
  }

  static func money(_ amount: Double, _ currency: String) -> String {
    let cents = Int((amount * 100).rounded())
    let fraction = abs(cents % 100)
    return "\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction) \(currency)"
  }
}
