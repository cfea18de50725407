extension HealthAssessor {
  /// A Namespace is Healthy while Active and Progressing while Terminating (its content is being
  /// deleted), with the condition that blocks deletion named when there is one.
  static func namespaceHealth(_ namespace: HealthObject) -> HealthAssessment {
    guard namespace.string("status", "phase") == "Terminating" else { return .healthy }
    let blocking = namespace.conditions.first { $0.isTrue && $0.type.hasPrefix("Namespace") }
    return .progressing(
      "Namespace is terminating" + (blocking.map { ": \($0.summary)" } ?? ""))
  }
}
