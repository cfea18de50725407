/// One resource the API serves, as discovery describes it.
public struct KubeAPIResource: Sendable, Hashable {
  /// The API group; empty for the core group.
  public var group: String
  public var version: String
  public var kind: String
  /// The plural resource name in URLs (`deployments`).
  public var name: String
  public var singularName: String
  public var shortNames: [String]
  public var namespaced: Bool
  public var verbs: [String]

  public init(
    group: String, version: String, kind: String, name: String, singularName: String,
    shortNames: [String] = [], namespaced: Bool, verbs: [String] = []
  ) {
    self.group = group
    self.version = version
    self.kind = kind
    self.name = name
    self.singularName = singularName
    self.shortNames = shortNames
    self.namespaced = namespaced
    self.verbs = verbs
  }

  /// `apps/v1`, or `v1` for the core group.
  public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

  /// `deployment.apps`, as kubectl prints an object's type.
  public var kubectlTypeName: String {
    group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)"
  }

  /// The URL path of the collection (`/apis/apps/v1/namespaces/NS/deployments`); `namespace` nil
  /// means all namespaces for a namespaced resource.
  public func collectionPath(namespace: String?) -> String {
    let base = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
    if namespaced, let namespace {
      return "\(base)/namespaces/\(KubePath.escape(namespace))/\(name)"
    }
    return "\(base)/\(name)"
  }

  /// The URL path of one object, or of its subresource.
  public func objectPath(namespace: String?, name objectName: String, subresource: String? = nil)
    -> String
  {
    var path =
      collectionPath(namespace: namespaced ? namespace : nil) + "/" + KubePath.escape(objectName)
    if let subresource { path += "/" + subresource }
    return path
  }
}

enum KubePath {
  private static let allowed: Set<UInt8> = Set(
    Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8))

  /// Percent-encodes a path segment or query value.
  static func escape(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      if allowed.contains(byte) {
        out.unicodeScalars.append(UnicodeScalar(byte))
      } else {
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      }
    }
    return out
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
