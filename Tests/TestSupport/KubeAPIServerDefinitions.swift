import YAML

/// CustomResourceDefinitions created through the API become served resources.
extension KubeAPIServer {
  private func isDefinition(_ target: KubeAPIServerTarget) -> Bool {
    target.resource.group == "apiextensions.k8s.io"
      && target.resource.plural == "customresourcedefinitions"
  }

  /// The resource a CRD defines, from its served storage version.
  static func definedResource(_ crd: JSONValue) -> KubeAPIServerResource? {
    let spec = crd["spec"]
    guard let group = spec?["group"]?.stringValue, let names = spec?["names"],
      let kind = names["kind"]?.stringValue, let plural = names["plural"]?.stringValue
    else { return nil }
    let versions = spec?["versions"]?.arrayValue ?? []
    guard
      let version = versions.first(where: { $0["storage"]?.boolValue == true })
        ?? versions.first(where: { $0["served"]?.boolValue == true }),
      let versionName = version["name"]?.stringValue
    else { return nil }
    return KubeAPIServerResource(
      group: group, version: versionName, kind: kind, plural: plural,
      singular: names["singular"]?.stringValue ?? kind.lowercased(),
      shortNames: (names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
      namespaced: spec?["scope"]?.stringValue != "Cluster",
      hasStatusSubresource: version["subresources"]?["status"] != nil)
  }

  /// A CRD must be named `PLURAL.GROUP` and define a kind, plural and version, as the real
  /// validation demands.
  func validateCustomResourceDefinition(_ object: JSONValue, _ target: KubeAPIServerTarget)
    throws(KubeAPIServerFailure)
  {
    guard isDefinition(target) else { return }
    let name = object["metadata"]?["name"]?.stringValue ?? ""
    guard let resource = Self.definedResource(object) else {
      throw .invalid(
        target.resource, name: name,
        errors: [
          .init(
            field: "spec", value: "",
            detail:
              "spec.group, spec.names.kind, spec.names.plural and one served version are required")
        ])
    }
    if name != "\(resource.plural).\(resource.group)" {
      throw .invalid(
        target.resource, name: name,
        errors: [
          .init(
            field: "metadata.name", value: name,
            detail: "must be spec.names.plural+\".\"+spec.group")
        ])
    }
  }

  func registerIfDefinition(_ object: JSONValue, _ target: KubeAPIServerTarget) {
    guard isDefinition(target), let resource = Self.definedResource(object) else { return }
    state.resources.removeAll { $0.group == resource.group && $0.plural == resource.plural }
    state.resources.append(resource)
    // The real apiserver reports the CRD established once it serves it; here that is at once.
    let established = object.setting(
      "status",
      [
        "conditions": [
          ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts"],
          ["type": "Established", "status": "True", "reason": "InitialNamesAccepted"],
        ],
        "acceptedNames": object["spec"]?["names"] ?? [:],
        "storedVersions": [.string(resource.version)],
      ])
    if established != object {
      store(established, old: object, resource: target.resource, type: "MODIFIED", state: &state)
    }
  }

  func unregisterIfDefinition(_ object: JSONValue, _ target: KubeAPIServerTarget) {
    guard isDefinition(target), let resource = Self.definedResource(object) else { return }
    for (_, instance) in state.objects[resource.storageKey] ?? [:] {
      store(instance, old: instance, resource: resource, type: "DELETED", state: &state)
    }
    state.resources.removeAll { $0.group == resource.group && $0.plural == resource.plural }
  }
}
