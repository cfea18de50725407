/// The health of one object: its status and, when there is something to say, why.
///
/// Messages name the reason as the cluster reported it (a condition's reason, a container's waiting
/// reason and message), so a person reading `tripgen status` knows what to look at without kubectl.
public struct HealthAssessment: Sendable, Equatable, Codable {
  /// How healthy the object is.
  public var status: HealthStatus
  /// Why, in the cluster's words (condition reasons, container waiting reasons); nil when there is
  /// nothing to say.
  public var message: String?

  /// An assessment; an empty message is stored as nil.
  public init(status: HealthStatus, message: String? = nil) {
    self.status = status
    // An empty message says nothing; keep it absent so JSON output and equality stay simple.
    self.message = message.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Healthy, with nothing to say.
  public static let healthy = HealthAssessment(status: .healthy)

  static func progressing(_ message: String?) -> HealthAssessment {
    HealthAssessment(status: .progressing, message: message)
  }

  static func degraded(_ message: String?) -> HealthAssessment {
    HealthAssessment(status: .degraded, message: message)
  }

  static func healthy(_ message: String?) -> HealthAssessment {
    HealthAssessment(status: .healthy, message: message)
  }

  static func suspended(_ message: String?) -> HealthAssessment {
    HealthAssessment(status: .suspended, message: message)
  }
}
