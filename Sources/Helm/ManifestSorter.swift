import YAML

/// One document of the rendered output: its source template, its text and its parsed form.
public struct Manifest: Sendable, Equatable {
  /// The template that produced it, `chart/templates/x.yaml`.
  public var source: String
  /// The document's text as Helm prints it.
  public var content: String
  /// The parsed document (`null` for a document of comments only).
  public var object: JSONValue
  /// `kind`, or "" when absent.
  public var kind: String { object["kind"]?.stringValue ?? "" }
}

/// A hook: a manifest with a `helm.sh/hook` annotation naming known events.
public struct Hook: Sendable, Equatable {
  /// The document.
  public var manifest: Manifest
  /// The events, lower-cased (`pre-install`, `test`, ...).
  public var events: [String]
  /// `helm.sh/hook-weight`, 0 when absent or not a number.
  public var weight: Int
  /// `helm.sh/hook-delete-policy` entries.
  public var deletePolicies: [String]
}

/// Helm's manifest handling after rendering (releaseutil's manifest.go, manifest_sorter.go and
/// kind_sorter.go): split each template's output into documents, separate hooks, and order
/// both by kind for installation.
public enum ManifestSorter {
  /// The kinds in the order Helm installs them; other kinds come after, alphabetically.
  public static let installOrder = [
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
    "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
    "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
    "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
  ]

  private static let knownEvents: Set<String> = [
    "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade",
    "pre-rollback", "post-rollback", "test", "test-success",
  ]

  /// Splits a stream on `---` lines as Helm's SplitManifests does (the separator also takes
  /// the whitespace before it; each document loses its leading whitespace but keeps trailing
  /// whitespace when it is the last).
  public static func split(_ text: String) -> [String] {
    let bytes = Array(text.utf8)
    func isSpace(_ byte: UInt8) -> Bool {
      byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
    var start = 0
    while start < bytes.count && isSpace(bytes[start]) { start += 1 }
    var documents: [[UInt8]] = []
    var current: [UInt8] = []
    var index = start
    // The separator is `(?:^|\s*\n)---\s*`: at the very start, or after a newline (with the
    // whitespace before that newline), three dashes and any whitespace after them.
    func separatorEnd(at position: Int) -> Int? {
      guard position + 3 <= bytes.count, bytes[position] == 0x2D, bytes[position + 1] == 0x2D,
        bytes[position + 2] == 0x2D
      else { return nil }
      var end = position + 3
      while end < bytes.count && isSpace(bytes[end]) { end += 1 }
      return end
    }
    if index == start, let end = separatorEnd(at: index) {
      documents.append([])
      index = end
    }
    while index < bytes.count {
      if bytes[index] == 0x0A, let end = separatorEnd(at: index + 1) {
        while let last = current.last, isSpace(last) { current.removeLast() }
        documents.append(current)
        current = []
        index = end
        continue
      }
      current.append(bytes[index])
      index += 1
    }
    documents.append(current)
    return documents.compactMap { document in
      guard !document.isEmpty else { return nil }
      let trimmed = document.drop(while: isSpace)
      return String(decoding: trimmed, as: UTF8.self)
    }
  }

  /// Splits and classifies the rendered templates (partials, NOTES.txt and blank outputs
  /// skipped); returns hooks and manifests, each ordered by kind with ties in file order.
  public static func sort(_ rendered: [TemplateEngine.RenderedTemplate]) throws(HelmError) -> (
    hooks: [Hook], manifests: [Manifest]
  ) {
    var hooks: [Hook] = []
    var manifests: [Manifest] = []
    for template in rendered.sorted(by: { $0.name < $1.name }) {
      let base = template.name.split(separator: "/").last ?? ""
      if base.hasPrefix("_") || template.name.hasSuffix("NOTES.txt") { continue }
      if template.text.trimmingWhitespace().isEmpty { continue }
      for content in split(template.text) {
        let object = try parse(content, template: template.name)
        let manifest = Manifest(source: template.name, content: content, object: object)
        guard case .object(let annotations)? = object["metadata"]?["annotations"],
          !annotations.isEmpty, let hookText = annotations["helm.sh/hook"]?.stringValue
        else {
          manifests.append(manifest)
          continue
        }
        let events = hookText.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }
        // Helm skips unknown hooks.
        guard events.allSatisfy(knownEvents.contains) else { continue }
        let weight = annotations["helm.sh/hook-weight"]?.stringValue.flatMap { Int($0) } ?? 0
        let policies =
          annotations["helm.sh/hook-delete-policy"]?.stringValue?.split(separator: ",").map {
            $0.trimmingWhitespace().lowercased()
          } ?? []
        hooks.append(
          Hook(manifest: manifest, events: events, weight: weight, deletePolicies: policies))
      }
    }
    return (stableSorted(hooks, kind: \.manifest.kind), stableSorted(manifests, kind: \.kind))
  }

  private static func stableSorted<T>(_ items: [T], kind: (T) -> String) -> [T] {
    let order = Dictionary(uniqueKeysWithValues: installOrder.enumerated().map { ($1, $0) })
    return items.enumerated().sorted { a, b in
      let kindA = kind(a.element)
      let kindB = kind(b.element)
      let rankA = order[kindA]
      let rankB = order[kindB]
      switch (rankA, rankB) {
      case (let x?, let y?): return x != y ? x < y : a.offset < b.offset
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return kindA != kindB ? kindA < kindB : a.offset < b.offset
      }
    }.map(\.element)
  }

  /// Parses a document's head as Helm does, reporting YAML errors with the text around them.
  static func parse(_ content: String, template: String) throws(HelmError) -> JSONValue {
    let value: JSONValue
    do {
      value = try LenientYAML.loadOne(content, file: template)
    } catch {
      var line = 1
      var reported = 1
      var problem = "\(error)"
      if case .syntax(let location, let message, let context) = error {
        line = location.mark.line
        problem = message
        // go-yaml numbers a parser error's line from 0 and a scanner error's from 1.
        reported = context?.hasPrefix("while scanning") == true ? line : line - 1
      }
      throw .renderedYAML(
        template: template,
        message: "error converting YAML to JSON: yaml: line \(reported): \(problem)",
        excerpt: excerpt(content, around: max(reported, 1)))
    }
    switch value {
    case .object, .null: break
    default:
      throw .renderedYAML(
        template: template,
        message: "error unmarshaling JSON: json: cannot unmarshal a non-mapping document into "
          + "a Kubernetes object", excerpt: excerpt(content, around: 1))
    }
    if case .object(let annotations)? = value["metadata"]?["annotations"],
      let (key, _) = annotations.first(where: { $0.value.stringValue == nil && !$0.value.isNull })
    {
      throw .renderedYAML(
        template: template,
        message: "annotation \(key) is not a string: metadata.annotations must map strings to "
          + "strings (quote the value)", excerpt: excerpt(content, around: 1))
    }
    return value
  }

  /// The lines around `line` (1-based), numbered, with the line itself marked.
  static func excerpt(_ text: String, around line: Int) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard !lines.isEmpty else { return "" }
    let center = min(max(line, 1), lines.count)
    let range = max(1, center - 3)...min(lines.count, center + 3)
    return range.map { number in
      (number == center ? ">" : " ") + " \(number) | " + lines[number - 1]
    }.joined(separator: "\n")
  }
}
