import YAML

/// The discovery snapshot a client maps kinds with, fetched once and again when a kind is
/// unknown (a CRD created since).
actor KubeDiscoveryCache {
  private var mapper: KubeRESTMapper?
  private var refreshing: Task<KubeRESTMapper, any Error>?

  func current(_ fetch: @escaping @Sendable () async throws -> KubeRESTMapper) async throws
    -> KubeRESTMapper
  {
    if let mapper { return mapper }
    return try await refresh(fetch)
  }

  func refresh(_ fetch: @escaping @Sendable () async throws -> KubeRESTMapper) async throws
    -> KubeRESTMapper
  {
    if let refreshing { return try await refreshing.value }
    let task = Task { try await fetch() }
    refreshing = task
    defer { refreshing = nil }
    let fresh = try await task.value
    mapper = fresh
    return fresh
  }
}

extension KubeClient {
  /// The discovery snapshot, fetched on first use.
  public func restMapper() async throws -> KubeRESTMapper {
    try await discovery.current { [self] in try await fetchDiscovery() }
  }

  /// Fetches discovery again (after CRDs changed).
  @discardableResult
  public func refreshDiscovery() async throws -> KubeRESTMapper {
    try await discovery.refresh { [self] in try await fetchDiscovery() }
  }

  /// The resource for a kind, refreshing discovery once when it is unknown.
  public func resource(apiVersion: String, kind: String) async throws -> KubeAPIResource {
    if let found = try await restMapper().resource(apiVersion: apiVersion, kind: kind) {
      return found
    }
    if let found = try await refreshDiscovery().resource(apiVersion: apiVersion, kind: kind) {
      return found
    }
    throw KubeError.unknownResource("\(kind) in \(apiVersion)")
  }

  /// The resource a kubectl-style name means, refreshing discovery once when it is unknown.
  public func resource(named name: String) async throws -> KubeAPIResource {
    if let found = try await restMapper().resolve(name) { return found }
    if let found = try await refreshDiscovery().resolve(name) { return found }
    throw KubeError.unknownResource(name)
  }

  /// Reads the classic discovery documents: `/api`, `/api/v1`, `/apis` and each group version.
  private func fetchDiscovery() async throws -> KubeRESTMapper {
    var groupVersions: [(group: String, version: String, path: String)] = []
    let (core, _) = try await sendJSON(method: "GET", path: "/api")
    for version in core["versions"]?.arrayValue ?? [] {
      if let version = version.stringValue {
        groupVersions.append(("", version, "/api/\(version)"))
      }
    }
    let (groups, _) = try await sendJSON(method: "GET", path: "/apis")
    for group in groups["groups"]?.arrayValue ?? [] {
      guard let name = group["name"]?.stringValue else { continue }
      let preferred = group["preferredVersion"]?["version"]?.stringValue
      var versions = (group["versions"]?.arrayValue ?? []).compactMap { $0["version"]?.stringValue }
      if let preferred, let index = versions.firstIndex(of: preferred) {
        versions.remove(at: index)
        versions.insert(preferred, at: 0)
      }
      for version in versions { groupVersions.append((name, version, "/apis/\(name)/\(version)")) }
    }
    let lists = try await withThrowingTaskGroup(of: (Int, JSONValue?).self) { group in
      for (index, entry) in groupVersions.enumerated() {
        group.addTask { [self] in
          do {
            return (index, try await sendJSON(method: "GET", path: entry.path).0)
          } catch let error as KubeError
            where error.status?.code == 404 || error.status?.code == 503
          {
            // A group version being removed, or an aggregated API that is down, is skipped as
            // kubectl does, rather than failing every request.
            return (index, nil)
          }
        }
      }
      var results = [JSONValue?](repeating: nil, count: groupVersions.count)
      for try await (index, list) in group { results[index] = list }
      return results
    }
    var resources: [KubeAPIResource] = []
    for (index, entry) in groupVersions.enumerated() {
      for item in lists[index]?["resources"]?.arrayValue ?? [] {
        guard let name = item["name"]?.stringValue, !name.contains("/"),
          let kind = item["kind"]?.stringValue
        else { continue }
        resources.append(
          KubeAPIResource(
            group: entry.group, version: entry.version, kind: kind, name: name,
            singularName: item["singularName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
              ?? kind.lowercased(),
            shortNames: (item["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
            namespaced: item["namespaced"]?.boolValue ?? false,
            verbs: (item["verbs"]?.arrayValue ?? []).compactMap(\.stringValue)))
      }
    }
    return KubeRESTMapper(resources: resources)
  }
}
