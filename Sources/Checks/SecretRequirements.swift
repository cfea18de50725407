import Environments
import YAML

/// A Secret the environment's objects reference but never contain (secrets stay out of Git), and the
/// keys they read from it.
public struct SecretRequirement: Sendable, Equatable, Codable {
  /// The Secret's name (`postgresql-secret`).
  public var name: String
  /// Keys some container reads without `optional: true`.
  public var requiredKeys: [String]
  /// Keys every reader marks `optional: true` (the service runs without them).
  public var optionalKeys: [String]
  /// The objects that read it (`Deployment tripgen-dev/user-service`).
  public var readers: [String]

  /// The environment variable `tripgen secrets apply` reads a key from:
  /// `TRIPGEN_SECRET_<NAME>_<KEY>`, upper-cased, every other character than a letter or digit as `_`
  /// (`TRIPGEN_SECRET_POSTGRESQL_SECRET_PASSWORD`).
  public static func environmentVariable(secret: String, key: String) -> String {
    let clean = { (text: String) in
      String(text.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }
    return "TRIPGEN_SECRET_\(clean(secret))_\(clean(key))"
  }
}

/// Finds the Secrets the rendered objects read keys from: `env[].valueFrom.secretKeyRef` of every
/// container and init container. A key is required unless every reference to it is optional.
/// Secrets mounted whole (`envFrom`, volumes, an Ingress's TLS certificate) have no key list and
/// are not included: they are made by other means (a certificate issuer, `kubectl create secret tls`).
public enum SecretRequirements {
  public static func find(in objects: [RenderedObject]) -> [SecretRequirement] {
    var required: [String: Set<String>] = [:]
    var optional: [String: Set<String>] = [:]
    var readers: [String: [String]] = [:]
    for template in PodTemplate.all(in: objects) {
      for (container, _, _) in template.containers {
        for variable in container["env"]?.arrayValue ?? [] {
          guard let reference = variable["valueFrom"]?["secretKeyRef"],
            let name = reference["name"]?.stringValue, let key = reference["key"]?.stringValue
          else { continue }
          if reference["optional"]?.boolValue == true {
            optional[name, default: []].insert(key)
          } else {
            required[name, default: []].insert(key)
          }
          let reader = template.object.key.displayName
          if !(readers[name] ?? []).contains(reader) { readers[name, default: []].append(reader) }
        }
      }
    }
    return Set(required.keys).union(optional.keys).sorted().map { name in
      let requiredKeys = required[name] ?? []
      return SecretRequirement(
        name: name, requiredKeys: requiredKeys.sorted(),
        optionalKeys: (optional[name] ?? []).subtracting(requiredKeys).sorted(),
        readers: readers[name] ?? [])
    }
  }
}
