import Environments
import YAML

/// Whether a live object still says what was applied: every field the desired object sets must have
/// the same value live (fields the API or other controllers add are not drift). `status`, the
/// API's own metadata, and the environment's `ignoreDifferences` pointers never count.
///
/// This is a subset comparison of the applied object against the live one, as a stand-in for the
/// engine's server-side dry-run diff; it can report drift where the API normalises a value
/// (a quantity `0.5` read back as `500m`).
public enum DriftCheck {
  /// The JSON pointers where `live` differs from `desired`; empty when it does not.
  public static func differences(
    desired: JSONValue, live: JSONValue, ignoring pointers: [String] = []
  ) -> [String] {
    var found: [String] = []
    compare(desired, live, path: "", into: &found)
    return found.filter { path in
      !ignoredPrefixes.contains { path == $0 || path.hasPrefix($0 + "/") }
        && !pointers.contains { path == $0 || path.hasPrefix($0 + "/") }
    }
  }

  /// The pointers in `environment.spec.ignoreDifferences` that apply to `key`.
  public static func ignoredPointers(for key: ObjectKey, in environment: Environment) -> [String] {
    (environment.spec.ignoreDifferences ?? []).filter {
      $0.group == key.group && $0.kind == key.kind && ($0.name == nil || $0.name == key.name)
    }.flatMap(\.jsonPointers)
  }

  private static let ignoredPrefixes = [
    "/status", "/metadata/managedFields", "/metadata/resourceVersion", "/metadata/generation",
    "/metadata/uid", "/metadata/creationTimestamp",
  ]

  private static func compare(
    _ desired: JSONValue, _ live: JSONValue, path: String, into found: inout [String]
  ) {
    switch (desired, live) {
    case (.object(let want), .object(let have)):
      for (key, value) in want {
        let child = path + "/" + escape(key)
        guard let actual = have[key] else {
          if !value.isNull { found.append(child) }
          continue
        }
        compare(value, actual, path: child, into: &found)
      }
    case (.array(let want), .array(let have)):
      guard want.count == have.count else {
        found.append(path)
        return
      }
      for (index, value) in want.enumerated() {
        compare(value, have[index], path: path + "/\(index)", into: &found)
      }
    case (.int(let a), .double(let b)):
      if Double(a) != b { found.append(path) }
    case (.double(let a), .int(let b)):
      if a != Double(b) { found.append(path) }
    default:
      if desired != live { found.append(path) }
    }
  }

  private static func escape(_ key: String) -> String {
    key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }
}
