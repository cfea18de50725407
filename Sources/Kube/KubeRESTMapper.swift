/// Maps kinds and the names kubectl accepts (`deploy`, `deployments.apps`, `Deployment`,
/// `deployment.v1.apps`) to served resources, from a discovery snapshot.
public struct KubeRESTMapper: Sendable {
  /// Main resources (no subresources), in discovery order: the core group first, then groups as
  /// the server lists them, preferred version first within a group.
  public private(set) var resources: [KubeAPIResource]

  public init(resources: [KubeAPIResource]) {
    self.resources = resources
  }

  /// The resource serving a kind at an apiVersion (`apps/v1`, `Deployment`).
  public func resource(apiVersion: String, kind: String) -> KubeAPIResource? {
    resources.first { $0.apiVersion == apiVersion && $0.kind == kind }
  }

  /// The resource a kubectl-style name means: `NAME`, `NAME.GROUP` or `NAME.VERSION.GROUP`, where
  /// NAME is a plural, singular, short name or kind (any case). The preferred version wins, and
  /// the core group before others, as kubectl resolves them.
  public func resolve(_ text: String) -> KubeAPIResource? {
    let lowered = text.lowercased()
    var candidates: [(name: String, group: String?, version: String?)] = [(lowered, nil, nil)]
    let parts = lowered.split(separator: ".", maxSplits: 1).map(String.init)
    if parts.count == 2 {
      candidates.append((parts[0], parts[1], nil))
      let rest = parts[1].split(separator: ".", maxSplits: 1).map(String.init)
      if rest.count == 2 { candidates.append((parts[0], rest[1], rest[0])) }
    }
    // Most specific first: NAME.VERSION.GROUP, then NAME.GROUP, then the whole text as a name.
    for candidate in candidates.reversed() {
      let matching = resources.filter { resource in
        (candidate.group.map { resource.group == $0 } ?? true)
          && (candidate.version.map { resource.version == $0 } ?? true)
      }
      for matches in [
        { (r: KubeAPIResource) in r.name == candidate.name },
        { (r: KubeAPIResource) in r.singularName == candidate.name },
        { (r: KubeAPIResource) in r.shortNames.contains(candidate.name) },
        { (r: KubeAPIResource) in r.kind.lowercased() == candidate.name },
      ] {
        if let found = matching.first(where: matches) { return found }
      }
    }
    return nil
  }
}
