import Environments
import YAML

/// Looks through the values files an environment renders with (its own, and every chart's and
/// subchart's `values.yaml`) for values that look like secrets: a non-empty text under a key named
/// like a credential (`password`, `token`, `apiKey`, `connectionString`, `DB_PASSWORD`...), or a
/// private key block anywhere. References to Secrets (`{secret: jwt-secret, key: secret}`,
/// `passwordSecret.name`) are names, not secrets, and pass.
public enum SecretValueScan {
  /// Key names (lowercased, without `-` and `_`) that hold a credential.
  static let credentialNames: Set<String> = [
    "password", "passwd", "pwd", "token", "apikey", "accesskey", "secretkey", "privatekey",
    "clientsecret", "connectionstring", "authtoken", "bearertoken", "jwtsecret", "sharedaccesskey",
  ]

  /// Whether a key names a credential: one of `credentialNames`, or ending in password, token or
  /// apikey (`DB_PASSWORD`, `githubToken`).
  static func isCredentialKey(_ key: String) -> Bool {
    let normalised = key.lowercased().filter { $0 != "-" && $0 != "_" && $0 != "." }
    return credentialNames.contains(normalised)
      || ["password", "token", "apikey", "secretkey", "connectionstring"].contains {
        normalised.hasSuffix($0)
      }
  }

  /// The findings in the values files of `environment` read from `files`.
  public static func run(_ environment: Environment, files: some SourceFiles) -> [CheckFinding] {
    var paths: [String] = []
    for chart in environment.spec.charts {
      paths += chart.values ?? []
      paths += files.files(under: chart.path).keys.filter {
        $0.hasSuffix("/values.yaml") && !$0.dropFirst(chart.path.count).contains("/templates/")
      }.sorted()
    }
    var findings: [CheckFinding] = []
    for path in Set(paths).sorted() {
      guard let bytes = files.file(path), let value = try? YAML.loadOne(bytes, file: path) else {
        continue
      }
      scan(value, path: [], file: path, bytes: bytes, into: &findings)
    }
    return findings
  }

  private static func scan(
    _ value: JSONValue, path: [String], file: String, bytes: [UInt8],
    into findings: inout [CheckFinding]
  ) {
    switch value {
    case .object(let members):
      for (key, member) in members {
        if case .string(let text) = member, !text.isEmpty, isCredentialKey(key) {
          findings.append(finding(path + [key], file: file, bytes: bytes, key: key))
        } else {
          scan(member, path: path + [key], file: file, bytes: bytes, into: &findings)
        }
      }
    case .array(let items):
      for (index, item) in items.enumerated() {
        scan(item, path: path + ["\(index)"], file: file, bytes: bytes, into: &findings)
      }
    case .string(let text) where text.contains("PRIVATE KEY-----"):
      findings.append(finding(path, file: file, bytes: bytes, key: path.last ?? "(value)"))
    default:
      break
    }
  }

  private static func finding(_ path: [String], file: String, bytes: [UInt8], key: String)
    -> CheckFinding
  {
    let line = YAMLDecoder.location(of: path, in: bytes, file: file)?.mark.line
    return CheckFinding(
      check: .policy, severity: .error, source: file + (line.map { ":\($0)" } ?? ""),
      field: SchemaCheck.fieldPath(path),
      message:
        "\(key) holds what looks like a secret value in a file that goes to Git; remove it, "
        + "reference a Secret by name instead, and set the value with `tripgen secrets apply`")
  }
}
