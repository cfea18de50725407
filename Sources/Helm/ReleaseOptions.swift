import GoTemplate

/// What `.Release` tells templates, and the cluster facts in `.Capabilities`.
public struct ReleaseOptions: Sendable {
  /// The release name (`helm template` uses `release-name` when none is given).
  public var name: String
  /// The release namespace.
  public var namespace: String
  /// The revision, 1 for an install.
  public var revision: Int
  /// True for an install (`helm template` renders as an install).
  public var isInstall: Bool
  /// True for an upgrade.
  public var isUpgrade: Bool
  /// The Kubernetes and Helm versions templates see.
  public var capabilities: Capabilities

  /// Creates options; the defaults are `helm template`'s.
  public init(
    name: String = "release-name", namespace: String = "default", revision: Int = 1,
    isInstall: Bool = true, isUpgrade: Bool = false, capabilities: Capabilities = Capabilities()
  ) {
    self.name = name
    self.namespace = namespace
    self.revision = revision
    self.isInstall = isInstall
    self.isUpgrade = isUpgrade
    self.capabilities = capabilities
  }
}

extension ReleaseOptions {
  /// Whether `name` is a valid release name, as Helm's ValidateReleaseName decides: at most 53
  /// characters, dot-separated labels of lower-case letters, digits and inner dashes.
  public static func isValidReleaseName(_ name: String) -> Bool {
    guard !name.isEmpty, name.utf8.count <= 53 else { return false }
    for label in name.split(separator: ".", omittingEmptySubsequences: false) {
      let bytes = Array(label.utf8)
      guard let first = bytes.first, let last = bytes.last else { return false }
      func alphanumeric(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
      }
      guard alphanumeric(first), alphanumeric(last),
        bytes.allSatisfy({ alphanumeric($0) || $0 == UInt8(ascii: "-") })
      else { return false }
    }
    return true
  }

  /// A release name from `--name-template`: the template executed with no data and the base
  /// functions (Helm gives it Sprig's, e.g. `{{ randAlpha 5 | lower }}`).
  public static func renderNameTemplate(
    _ source: String, functions: [String: TemplateFunction] = HelmFunctions.base
  ) throws -> String {
    var set = TemplateSet(name: "name-template", functions: functions)
    try set.parse(name: "name-template", source: source)
    return try set.execute(name: "name-template", data: .null)
  }
}
