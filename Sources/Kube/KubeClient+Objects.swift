import YAML

/// Propagation of a delete to the objects an object owns.
public enum KubePropagationPolicy: String, Sendable {
  /// Delete the object now and its dependents in the background (the API's default).
  case background = "Background"
  /// Delete the dependents first, then the object.
  case foreground = "Foreground"
  /// Keep the dependents, without the owner reference.
  case orphan = "Orphan"
}

/// A page of a list.
public struct KubeList: Sendable {
  /// The objects, each with its apiVersion and kind (typed lists leave them off items).
  public var items: [JSONValue]
  /// The list's resourceVersion, to watch from.
  public var resourceVersion: String
  /// The token for the next page, or nil on the last page.
  public var continueToken: String?
  /// How many objects the following pages hold, when the server says.
  public var remainingItemCount: Int?
}

/// The result of a server-side apply.
public struct KubeApplyResult: Sendable {
  public var object: JSONValue
  /// Whether the apply created the object (201 Created).
  public var created: Bool
}

extension KubeClient {
  /// The resource, namespace and name of an object, with the configured namespace for a
  /// namespaced object that names none.
  func locate(_ object: JSONValue) async throws -> (KubeAPIResource, String?, String) {
    guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue
    else {
      throw KubeError.invalidObject("apiVersion and kind are required")
    }
    let name = object["metadata"]?["name"]?.stringValue ?? ""
    let resource = try await resource(apiVersion: apiVersion, kind: kind)
    let namespace =
      resource.namespaced
      ? (object["metadata"]?["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        ?? configuration.namespace)
      : nil
    return (resource, namespace, name)
  }

  private func namespace(for resource: KubeAPIResource, _ namespace: String?) -> String? {
    resource.namespaced ? (namespace ?? configuration.namespace) : nil
  }

  /// Reads one object.
  public func get(_ resource: KubeAPIResource, namespace: String? = nil, name: String) async throws
    -> JSONValue
  {
    let path = resource.objectPath(namespace: self.namespace(for: resource, namespace), name: name)
    return try await sendJSON(method: "GET", path: path).0
  }

  /// Reads one object, or nil when it does not exist.
  public func getIfPresent(_ resource: KubeAPIResource, namespace: String? = nil, name: String)
    async throws
    -> JSONValue?
  {
    do { return try await get(resource, namespace: namespace, name: name) } catch let error
      as KubeError
      where error.isNotFound
    {
      return nil
    }
  }

  /// Reads an object through its `/status` subresource.
  public func getStatus(_ resource: KubeAPIResource, namespace: String? = nil, name: String)
    async throws
    -> JSONValue
  {
    let path = resource.objectPath(
      namespace: self.namespace(for: resource, namespace), name: name, subresource: "status")
    return try await sendJSON(method: "GET", path: path).0
  }

  /// One page of a list. `namespace` nil lists the configured namespace; `allNamespaces` lists
  /// every namespace.
  public func list(
    _ resource: KubeAPIResource, namespace: String? = nil, allNamespaces: Bool = false,
    labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
    continueToken: String? = nil
  ) async throws -> KubeList {
    var query: [(String, String)] = []
    if let labelSelector { query.append(("labelSelector", labelSelector)) }
    if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
    if let limit { query.append(("limit", String(limit))) }
    if let continueToken { query.append(("continue", continueToken)) }
    let path = resource.collectionPath(
      namespace: allNamespaces ? nil : self.namespace(for: resource, namespace))
    let (value, _) = try await sendJSON(method: "GET", path: path, query: query)
    let items = (value["items"]?.arrayValue ?? []).map { item in
      item.setting("apiVersion", item["apiVersion"] ?? .string(resource.apiVersion))
        .setting("kind", item["kind"] ?? .string(resource.kind))
    }
    let metadata = value["metadata"]
    return KubeList(
      items: items, resourceVersion: metadata?["resourceVersion"]?.stringValue ?? "",
      continueToken: metadata?["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
      remainingItemCount: metadata?["remainingItemCount"]?.intValue)
  }

  /// Every object of a list, page by page (`limit`/`continue`), with the first page's
  /// resourceVersion.
  public func listAll(
    _ resource: KubeAPIResource, namespace: String? = nil, allNamespaces: Bool = false,
    labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500
  ) async throws -> KubeList {
    var page = try await list(
      resource, namespace: namespace, allNamespaces: allNamespaces, labelSelector: labelSelector,
      fieldSelector: fieldSelector, limit: pageSize)
    var all = page
    while let token = page.continueToken {
      page = try await list(
        resource, namespace: namespace, allNamespaces: allNamespaces, labelSelector: labelSelector,
        fieldSelector: fieldSelector, limit: pageSize, continueToken: token)
      all.items += page.items
    }
    all.continueToken = nil
    all.remainingItemCount = nil
    return all
  }

  /// Creates an object (POST).
  public func create(_ object: JSONValue, fieldManager: String? = nil, dryRun: Bool = false)
    async throws
    -> JSONValue
  {
    let (resource, namespace, _) = try await locate(object)
    var query: [(String, String)] = []
    if let fieldManager { query.append(("fieldManager", fieldManager)) }
    if dryRun { query.append(("dryRun", "All")) }
    let body =
      namespace.map {
        object.setting("metadata", (object["metadata"] ?? [:]).setting("namespace", .string($0)))
      } ?? object
    return try await sendJSON(
      method: "POST", path: resource.collectionPath(namespace: namespace), query: query,
      body: KubeJSON.encode(body), contentType: "application/json"
    ).0
  }

  /// Replaces an object (PUT); a stale `metadata.resourceVersion` fails with 409 Conflict.
  public func update(_ object: JSONValue, fieldManager: String? = nil, dryRun: Bool = false)
    async throws
    -> JSONValue
  {
    let (resource, namespace, name) = try await locate(object)
    var query: [(String, String)] = []
    if let fieldManager { query.append(("fieldManager", fieldManager)) }
    if dryRun { query.append(("dryRun", "All")) }
    return try await sendJSON(
      method: "PUT", path: resource.objectPath(namespace: namespace, name: name), query: query,
      body: KubeJSON.encode(object), contentType: "application/json"
    ).0
  }

  /// Server-side apply: `PATCH` with `application/apply-patch+yaml` as `fieldManager`. The
  /// server creates the object when absent, merges the fields this manager sets, removes those
  /// it no longer sets, and refuses (409) to change fields another manager owns unless `force`.
  public func apply(
    _ object: JSONValue, fieldManager: String, force: Bool = false, dryRun: Bool = false,
    subresource: String? = nil
  ) async throws -> KubeApplyResult {
    let (resource, namespace, name) = try await locate(object)
    guard !name.isEmpty else {
      throw KubeError.invalidObject("metadata.name is required to apply \(resource.kind)")
    }
    var query: [(String, String)] = [("fieldManager", fieldManager)]
    if force { query.append(("force", "true")) }
    if dryRun { query.append(("dryRun", "All")) }
    // JSON is YAML, and the apiserver reads it as such; JSON keeps the body unambiguous.
    let (value, status) = try await sendJSON(
      method: "PATCH",
      path: resource.objectPath(namespace: namespace, name: name, subresource: subresource),
      query: query, body: KubeJSON.encode(object), contentType: "application/apply-patch+yaml")
    return KubeApplyResult(object: value, created: status == 201)
  }

  /// Deletes an object. Preconditions make the delete fail (409) when the object was replaced
  /// (another uid) or changed (another resourceVersion) since it was read. Returns the object as
  /// the server reports it (with deletionTimestamp when finalizers hold it).
  @discardableResult
  public func delete(
    _ resource: KubeAPIResource, namespace: String? = nil, name: String,
    propagationPolicy: KubePropagationPolicy? = nil, preconditionUID: String? = nil,
    preconditionResourceVersion: String? = nil, dryRun: Bool = false
  ) async throws -> JSONValue {
    var options: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
    if let propagationPolicy {
      options = options.setting("propagationPolicy", .string(propagationPolicy.rawValue))
    }
    var preconditions: JSONValue = [:]
    if let preconditionUID {
      preconditions = preconditions.setting("uid", .string(preconditionUID))
    }
    if let preconditionResourceVersion {
      preconditions = preconditions.setting("resourceVersion", .string(preconditionResourceVersion))
    }
    if preconditions != [:] { options = options.setting("preconditions", preconditions) }
    if dryRun { options = options.setting("dryRun", ["All"]) }
    let path = resource.objectPath(namespace: self.namespace(for: resource, namespace), name: name)
    return try await sendJSON(
      method: "DELETE", path: path, body: KubeJSON.encode(options), contentType: "application/json"
    ).0
  }
}
