import Environments
import YAML

/// Compares a live object with what the server would store after our apply, through the diff's
/// normalizer (status, server-written metadata and the environment's ignored fields never count),
/// and names the fields that differ.
struct LiveComparison {
  let normalizer: LiveObjectNormalizer

  /// The environment's `ignoreDifferences` as normalizer rules; a pointer that is not RFC 6901 is
  /// a validation problem of the environment file.
  init(environment: Environment) throws(GitOpsError) {
    var rules: [IgnoreDifferencesRule] = []
    for (index, ignored) in (environment.spec.ignoreDifferences ?? []).enumerated() {
      do {
        rules.append(
          IgnoreDifferencesRule(
            group: ignored.group, kind: ignored.kind, name: ignored.name,
            jsonPointers: try ignored.jsonPointers.map { pointer throws(JSONPointerError) in
              try JSONPointer(pointer)
            }))
      } catch {
        throw .validation([
          ValidationProblem(
            key: nil, source: EnvironmentLoader.path(of: environment.name),
            message: "spec.ignoreDifferences[\(index)].jsonPointers: \(error)")
        ])
      }
    }
    normalizer = LiveObjectNormalizer(ignoreRules: rules)
  }

  /// The dotted paths that differ (`spec.replicas`, `data.greeting`), sorted; empty when equal.
  func changedPaths(live: JSONValue, predicted: JSONValue) -> [String] {
    let (desired, current) = normalizer.normalize(desired: predicted, live: live)
    var paths: [String] = []
    collect(current, desired, path: [], into: &paths)
    return paths.sorted()
  }

  private func collect(_ a: JSONValue?, _ b: JSONValue?, path: [String], into paths: inout [String])
  {
    if a == b { return }
    if case .object(let left)? = a, case .object(let right)? = b {
      for key in Set(left.keys).union(right.keys) {
        collect(left[key], right[key], path: path + [key], into: &paths)
      }
      return
    }
    paths.append(path.isEmpty ? "(object)" : path.joined(separator: "."))
  }
}
