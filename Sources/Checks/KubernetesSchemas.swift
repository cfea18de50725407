import Helm
import YAML

/// The vendored Kubernetes 1.29 schemas (`KubernetesSchemaDocument`), parsed once, with one validator
/// per kind. A kind's validator sees a document made of the kind's schema and every definition, so
/// its `$ref`s (`#/$defs/...`) resolve within it.
public enum KubernetesSchemas {
  /// The Kubernetes version the schemas describe.
  public static let kubernetesVersion = KubernetesSchemaDocument.kubernetesVersion

  /// `apiVersion/Kind` keys of every kind that has a schema.
  public static var kinds: [String] { validators.keys.sorted() }

  /// The validator for objects of `kind` in `apiVersion`, or nil when no schema is vendored for it.
  public static func validator(apiVersion: String, kind: String) -> SchemaValidator? {
    validators["\(apiVersion)/\(kind)"]
  }

  private static let validators: [String: SchemaValidator] = {
    // The document is a constant of this module, generated and tested to parse.
    guard let document = try? YAML.loadOne(Array(KubernetesSchemaDocument.json.utf8)),
      let kinds = document["kinds"]?.objectValue, let definitions = document["$defs"]
    else { return [:] }
    var result: [String: SchemaValidator] = [:]
    for (key, schema) in kinds {
      guard case .object(var root) = schema else { continue }
      root["$defs"] = definitions
      result[key] = SchemaValidator(root: .object(root))
    }
    return result
  }()
}
