extension HealthAssessor {
  /// A claim is Healthy once Bound, Progressing while Pending (waiting for a volume or for its first
  /// consumer), Degraded when Lost (its volume is gone).
  static func persistentVolumeClaimHealth(_ claim: HealthObject) -> HealthAssessment {
    switch claim.string("status", "phase") ?? "" {
    case "Bound":
      return .healthy
    case "Pending":
      return .progressing("PersistentVolumeClaim is pending: waiting for a volume to be bound")
    case "Lost":
      let volume = claim.string("spec", "volumeName").map { " \"\($0)\"" } ?? ""
      return .degraded("PersistentVolumeClaim lost its volume\(volume)")
    case let phase:
      return HealthAssessment(
        status: .unknown,
        message: "PersistentVolumeClaim phase \(phase.isEmpty ? "is not reported" : "\"\(phase)\"")"
      )
    }
  }
}
