import Collections
import Foundation
import YAML

/// A request as the handlers see it.
struct KubeAPIServerRequest {
  var method: String
  var path: String
  var query: [String: String]
  /// Header names in lower case.
  var headers: [String: String]
  var body: [UInt8]
  /// The common name of a verified client certificate.
  var clientCertificateUser: String?
  /// The user the request authenticated as (set by the server once it has checked credentials).
  var user = ""

  init(
    method: String, uri: String, headers: [String: String], body: [UInt8],
    clientCertificateUser: String?
  ) {
    self.method = method
    let parts = uri.split(separator: "?", maxSplits: 1)
    path = parts.first.map(String.init)?.removingPercentEncoding ?? "/"
    var query: [String: String] = [:]
    if parts.count == 2 {
      for pair in parts[1].split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1)
        let key = String(kv[0]).removingPercentEncoding ?? String(kv[0])
        let value = kv.count == 2 ? String(kv[1]).replacingOccurrences(of: "+", with: " ") : ""
        query[key] = value.removingPercentEncoding ?? value
      }
    }
    self.query = query
    self.headers = headers
    self.body = body
    self.clientCertificateUser = clientCertificateUser
  }

  var isDryRun: Bool { query["dryRun"] == "All" }
}

/// What the HTTP layer writes back.
enum KubeAPIServerReply {
  case json(Int, JSONValue, headers: [(String, String)])
  /// A watch: the HTTP layer writes the response head, then calls `start` with the connection
  /// the events go to.
  case watch(start: (KubeAPIServerWatchConnection) -> Void, timeout: TimeInterval?)
  case delayed(TimeInterval, () -> KubeAPIServerReply)
  case drop

  static func failure(_ failure: KubeAPIServerFailure) -> Self {
    .json(failure.code, failure.status, headers: failure.headers)
  }
}

/// The resource a path names, and which object of it.
struct KubeAPIServerTarget {
  var resource: KubeAPIServerResource
  var namespace: String?
  var name: String?
  var subresource: String?
}

extension KubeAPIServer {
  func handle(_ incoming: KubeAPIServerRequest) -> KubeAPIServerReply {
    var request = incoming
    lock.lock()
    let user = authenticate(request)
    request.user = user ?? ""
    state.log.append(
      LoggedRequest(
        method: request.method, path: request.path, query: request.query,
        contentType: request.headers["content-type"], user: user ?? "-"))
    if let index = state.faults.firstIndex(where: { fault in
      (fault.method.map { $0 == request.method } ?? true)
        && (fault.pathContains.map { request.path.contains($0) } ?? true)
        && (fault.dryRun.map { $0 == request.isDryRun } ?? true)
    }) {
      let fault = state.faults[index].fault
      state.faults[index].remaining -= 1
      if state.faults[index].remaining <= 0 { state.faults.remove(at: index) }
      lock.unlock()
      switch fault {
      case .status(let code, let retryAfter):
        var failure = KubeAPIServerFailure(
          code: code, reason: Self.reason(code), message: Self.faultMessage(code))
        if let retryAfter {
          failure.headers = [("Retry-After", String(retryAfter))]
          failure.details = ["retryAfterSeconds": .int(retryAfter)]
        }
        return .failure(failure)
      case .delay(let seconds):
        return .delayed(seconds, { [self] in route(request, user: user) })
      case .dropConnection:
        return .drop
      }
    }
    lock.unlock()
    return route(request, user: user)
  }

  private static func reason(_ code: Int) -> String {
    switch code {
    case 409: return "Conflict"
    case 429: return "TooManyRequests"
    case 503: return "ServiceUnavailable"
    case 504: return "Timeout"
    default: return "InternalError"
    }
  }

  private static func faultMessage(_ code: Int) -> String {
    switch code {
    case 429: return "Too many requests, please try again later."
    case 409: return "Operation cannot be fulfilled: the object has been modified"
    default: return "Internal error occurred: injected fault"
    }
  }

  /// The user a request authenticates as, "system:anonymous", or nil for bad credentials.
  private func authenticate(_ request: KubeAPIServerRequest) -> String? {
    if let authorization = request.headers["authorization"] {
      if authorization.hasPrefix("Bearer ") {
        return state.tokens[String(authorization.dropFirst(7))]
      }
      if authorization.hasPrefix("Basic "),
        let data = Data(base64Encoded: String(authorization.dropFirst(6))),
        let pair = String(data: data, encoding: .utf8)
      {
        let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2, options.basicUsers[parts[0]] == parts[1] { return parts[0] }
      }
      return nil
    }
    if let user = request.clientCertificateUser { return user }
    return options.requireAuthentication ? nil : "system:anonymous"
  }

  private func route(_ request: KubeAPIServerRequest, user: String?) -> KubeAPIServerReply {
    guard let user else { return .failure(.unauthorized) }
    let segments = request.path.split(separator: "/").map(String.init)
    let info = KubeAPIServerRequestInfo(
      method: request.method, path: request.path, query: request.query)
    lock.lock()
    defer { lock.unlock() }
    // As on a real server, authorization comes before routing: a request the user may not make
    // is refused whether or not its resource exists.
    if let denied = authorize(info, user: user) { return .failure(denied) }
    if request.method == "GET", let document = discovery(segments) { return document }
    let target: KubeAPIServerTarget
    switch resolve(segments) {
    case .success(let resolved): target = resolved
    case .failure(let failure): return .failure(failure)
    }
    if state.denials.contains(where: { denial in
      (denial.user.map { $0 == user } ?? true) && (denial.verb.map { $0 == info.verb } ?? true)
        && (denial.resource.map { $0 == target.resource.plural } ?? true)
        && (denial.namespace.map { $0 == info.namespace } ?? true)
    }) {
      return .failure(.forbidden(info, user: user))
    }
    let isWatch = ["1", "true"].contains(request.query["watch"] ?? "")
    let verb: String
    switch (request.method, target.name) {
    case ("GET", nil): verb = isWatch ? "watch" : "list"
    case ("GET", _): verb = "get"
    case ("POST", nil): verb = "create"
    case ("PUT", _?): verb = "update"
    case ("PATCH", _?): verb = "patch"
    case ("DELETE", _?): verb = "delete"
    default: return .failure(.methodNotAllowed(request.method))
    }
    do throws(KubeAPIServerFailure) {
      switch verb {
      case "get": return .json(200, try get(target), headers: [])
      case "list": return .json(200, try list(target, request), headers: [])
      case "watch": return try watch(target, request)
      case "create": return .json(201, try create(target, request), headers: [])
      case "update": return try update(target, request)
      case "patch": return try patch(target, request)
      default: return .json(200, try delete(target, request), headers: [])
      }
    } catch {
      return .failure(error)
    }
  }

  private func resolve(_ segments: [String]) -> Result<KubeAPIServerTarget, KubeAPIServerFailure> {
    let group: String
    let version: String
    var rest: ArraySlice<String>
    if segments.first == "api", segments.count >= 3 {
      (group, version, rest) = ("", segments[1], segments[2...])
    } else if segments.first == "apis", segments.count >= 4 {
      (group, version, rest) = (segments[1], segments[2], segments[3...])
    } else {
      return .failure(.notFoundPath())
    }
    let served = state.resources.filter { $0.group == group && $0.version == version }
    var namespace: String?
    if rest.first == "namespaces", rest.count >= 3,
      served.contains(where: { $0.namespaced && $0.plural == rest[rest.startIndex + 2] })
    {
      namespace = rest[rest.startIndex + 1]
      rest = rest.dropFirst(2)
    }
    guard let resource = served.first(where: { $0.plural == rest.first }), rest.count <= 3 else {
      return .failure(.notFoundPath())
    }
    let name = rest.count >= 2 ? rest[rest.startIndex + 1] : nil
    let subresource = rest.count == 3 ? rest[rest.startIndex + 2] : nil
    if let subresource, subresource != "status" || !resource.hasStatusSubresource {
      return .failure(.notFoundPath())
    }
    if resource.namespaced, name != nil, namespace == nil { return .failure(.notFoundPath()) }
    if !resource.namespaced, namespace != nil { return .failure(.notFoundPath()) }
    return .success(
      KubeAPIServerTarget(
        resource: resource, namespace: namespace, name: name, subresource: subresource))
  }

  // MARK: Discovery

  private func discovery(_ segments: [String]) -> KubeAPIServerReply? {
    switch segments.count {
    case 1 where segments[0] == "version":
      return .json(
        200,
        [
          "major": "1", "minor": "29", "gitVersion": "v1.29.0-tripgen-test",
          "platform": "linux/amd64",
        ], headers: [])
    case 1 where segments[0] == "api":
      return .json(
        200,
        [
          "kind": "APIVersions", "versions": ["v1"],
          "serverAddressByClientCIDRs": [
            ["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"]
          ],
        ], headers: [])
    case 1 where segments[0] == "apis":
      var groups: OrderedDictionary<String, [String]> = [:]
      for resource in state.resources where !resource.group.isEmpty {
        if !(groups[resource.group]?.contains(resource.version) ?? false) {
          groups[resource.group, default: []].append(resource.version)
        }
      }
      let list: [JSONValue] = groups.map { group, versions in
        let entries: [JSONValue] = versions.map {
          ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)]
        }
        return [
          "name": .string(group), "versions": .array(entries), "preferredVersion": entries[0],
        ]
      }
      return .json(
        200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(list)], headers: [])
    case 2 where segments[0] == "api", 3 where segments[0] == "apis":
      let group = segments[0] == "api" ? "" : segments[1]
      let version = segments.last!
      let resources = state.resources.filter { $0.group == group && $0.version == version }
      guard !resources.isEmpty else { return .failure(.notFoundPath()) }
      return .json(
        200,
        [
          "kind": "APIResourceList", "apiVersion": "v1",
          "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
          "resources": .array(resources.flatMap(\.discoveryEntries)),
        ], headers: [])
    default:
      return nil
    }
  }
}
