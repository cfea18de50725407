extension HealthAssessor {
  /// kstatus's conventions for kinds without their own rules (custom resources, ConfigMaps, ...).
  static func genericHealth(_ resource: HealthObject) -> HealthAssessment {
    if let stalled = resource.condition("Stalled"), stalled.isTrue {
      return .degraded(stalled.summary)
    }
    if let reconciling = resource.condition("Reconciling"), reconciling.isTrue {
      return .progressing(reconciling.summary)
    }
    if let ready = resource.condition("Ready"), ready.isFalse {
      return .progressing(ready.summary)
    }
    if resource.at(["status", "observedGeneration"]) != nil,
      resource.observedGeneration < resource.generation
    {
      return .progressing("Waiting for the controller to observe generation \(resource.generation)")
    }
    return .healthy
  }
}
