import GoTemplate

/// `.Capabilities`: the Kubernetes version and API versions templates may test, and the Helm
/// version. Offline there is no cluster to ask, so these are configured (`--kube-version`,
/// `--api-versions`).
public struct Capabilities: Sendable {
  /// The Kubernetes version, `v1.29.0`.
  public var kubeVersion: String
  /// Available API group versions (`apps/v1`) and, optionally, resources (`apps/v1/Deployment`).
  public var apiVersions: [String]
  /// The Helm version fields printed by `.Capabilities.HelmVersion`.
  public var helmVersion: String
  /// The Go version reported with the Helm version.
  public var goVersion: String
  /// The Kubernetes client version reported with the Helm version.
  public var kubeClientVersion: String

  /// The seed cluster's version, the default for offline renders.
  public static let defaultKubeVersion = "v1.29.0"

  /// The API versions Helm 4 reports when it has no cluster (client-go's built-in scheme).
  public static let defaultAPIVersions = [
    "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1",
    "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1", "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1",
    "autoscaling/v1", "autoscaling/v2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1",
    "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1",
    "events.k8s.io/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "networking.k8s.io/v1beta1",
    "node.k8s.io/v1", "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1", "policy/v1",
    "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1", "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1", "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
  ]

  /// Creates capabilities; the defaults are the seed cluster's version and Helm 4's built-in
  /// API versions. `extraAPIVersions` are added to the defaults, as `--api-versions` does.
  public init(
    kubeVersion: String = Capabilities.defaultKubeVersion, extraAPIVersions: [String] = [],
    apiVersions: [String] = Capabilities.defaultAPIVersions, helmVersion: String = "v4.2",
    goVersion: String = "go1.26.6", kubeClientVersion: String = "v1.36"
  ) {
    self.kubeVersion = kubeVersion.hasPrefix("v") ? kubeVersion : "v" + kubeVersion
    self.apiVersions = apiVersions + extraAPIVersions
    self.helmVersion = helmVersion
    self.goVersion = goVersion
    self.kubeClientVersion = kubeClientVersion
  }
}

extension Capabilities {
  /// A `--kube-version` argument as Helm reads it (a semantic version, `v` optional, missing
  /// parts zero): `1.29` gives `v1.29.0`.
  public static func parseKubeVersion(_ text: String) throws(HelmError) -> String {
    var rest = Substring(text.trimmingWhitespace())
    if rest.hasPrefix("v") || rest.hasPrefix("V") { rest = rest.dropFirst() }
    var suffix: Substring = ""
    if let index = rest.firstIndex(where: { $0 == "-" || $0 == "+" }) {
      suffix = rest[index...]
      rest = rest[..<index]
    }
    let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && UInt($0) != nil })
    else {
      throw .invalidKubeVersion(text)
    }
    let numbers = parts.map { String(UInt($0)!) } + Array(repeating: "0", count: 3 - parts.count)
    return "v" + numbers.joined(separator: ".") + suffix
  }
}

/// `.Capabilities` as templates see it (`*common.Capabilities`).
struct CapabilitiesObject: TemplateObject {
  let capabilities: Capabilities
  var typeName: String { "*common.Capabilities" }

  func field(named name: String) -> TemplateValue? {
    switch name {
    case "KubeVersion": return .object(KubeVersionObject(version: capabilities.kubeVersion))
    case "APIVersions": return .object(VersionSetObject(versions: capabilities.apiVersions))
    case "HelmVersion":
      return .object(
        HelmVersionObject(
          version: capabilities.helmVersion, goVersion: capabilities.goVersion,
          kubeClientVersion: capabilities.kubeClientVersion))
    default: return nil
    }
  }

  var printed: String {
    "{\(KubeVersionObject(version: capabilities.kubeVersion).printed) "
      + "\(VersionSetObject(versions: capabilities.apiVersions).printed) "
      + "\(HelmVersionObject(version: capabilities.helmVersion, goVersion: capabilities.goVersion, kubeClientVersion: capabilities.kubeClientVersion).printed)}"
  }
}

/// `.Capabilities.KubeVersion`: prints as its version; `Major` and `Minor` are strings.
struct KubeVersionObject: TemplateObject {
  let version: String
  var typeName: String { "common.KubeVersion" }

  private var numbers: [Substring] {
    version.dropFirst(version.hasPrefix("v") ? 1 : 0).split(separator: "-").first?.split(
      separator: ".") ?? []
  }

  func field(named name: String) -> TemplateValue? {
    switch name {
    case "Version": return .string(version)
    case "Major": return .string(numbers.first.map(String.init) ?? "")
    case "Minor": return .string(numbers.count > 1 ? String(numbers[1]) : "")
    default: return nil
    }
  }

  func method(named name: String) -> TemplateFunction? {
    switch name {
    case "String", "GitVersion":
      let version = version
      return TemplateFunction(arity: .exactly(0)) { _, _ in .string(version) }
    default: return nil
    }
  }

  var printed: String { version }
}

/// `.Capabilities.APIVersions`: a list with a `Has` method.
struct VersionSetObject: TemplateObject {
  let versions: [String]
  var typeName: String { "common.VersionSet" }
  func field(named name: String) -> TemplateValue? { nil }

  func method(named name: String) -> TemplateFunction? {
    guard name == "Has" else { return nil }
    let versions = versions
    return TemplateFunction(arity: .exactly(1)) { arguments, _ in
      guard case .string(let wanted) = arguments[0] else {
        throw TemplateFunctionError("wrong type for value; expected string")
      }
      return .bool(versions.contains(wanted))
    }
  }

  var printed: String { "[" + versions.joined(separator: " ") + "]" }
}

/// `.Capabilities.HelmVersion`.
struct HelmVersionObject: TemplateObject {
  let version: String
  let goVersion: String
  let kubeClientVersion: String
  var typeName: String { "version.BuildInfo" }

  func field(named name: String) -> TemplateValue? {
    switch name {
    case "Version": return .string(version)
    case "GitCommit", "GitTreeState": return .string("")
    case "GoVersion": return .string(goVersion)
    case "KubeClientVersion": return .string(kubeClientVersion)
    default: return nil
    }
  }

  var printed: String { "{\(version)   \(goVersion) \(kubeClientVersion)}" }
}
