import Delivery
import Environments
import GitOps
import Testing
import YAML

/// Phases, waves, Helm's kind order and names, read from rendered objects.
@Suite struct SyncOrderingTests {
  static func object(_ kind: String, _ name: String, annotations: [String: String] = [:])
    -> JSONValue
  {
    var metadata: JSONValue = ["name": .string(name)]
    for (key, value) in annotations { metadata.set(["annotations", key], .string(value)) }
    return ["apiVersion": "v1", "kind": .string(kind), "metadata": metadata]
  }

  static func order(_ object: JSONValue) throws -> SyncOrder {
    let key = try #require(ObjectKey(object: object))
    let role = try SyncAnnotations.role(of: object, source: "t.yaml")
    var phase = SyncPhase.sync
    var isHook = false
    if case .hook(let spec) = role {
      phase = spec.phase
      isHook = true
    }
    return SyncAnnotations.order(
      key: key, phase: phase,
      wave: try SyncAnnotations.wave(of: object, isHook: isHook, source: "t.yaml"))
  }

  @Test func helmHooksMapOntoPhasesWithTheirWeights() throws {
    let pre = Self.object(
      "Job", "migrate",
      annotations: ["helm.sh/hook": "pre-upgrade,pre-install", "helm.sh/hook-weight": "-5"])
    let post = Self.object("Job", "seed", annotations: ["helm.sh/hook": "post-install"])
    let test = Self.object("Pod", "test", annotations: ["helm.sh/hook": "test"])
    #expect(try Self.order(pre).phase == .preSync)
    #expect(try Self.order(pre).wave == -5)
    #expect(try Self.order(post).phase == .postSync)
    guard case .skipped = try SyncAnnotations.role(of: test, source: "t.yaml") else {
      Issue.record("a test hook is not applied by a sync")
      return
    }
    guard case .hook(let spec) = try SyncAnnotations.role(of: pre, source: "t.yaml") else {
      Issue.record("not a hook")
      return
    }
    // No delete policy means Helm's default: before-hook-creation.
    #expect(spec.deletePolicies == [.beforeHookCreation])
  }

  @Test func wavesThenHelmKindOrderThenName() throws {
    let objects = [
      Self.object("Deployment", "b"),
      Self.object("Deployment", "a"),
      Self.object("Service", "z"),
      Self.object("ConfigMap", "late", annotations: ["tripgen.io/sync-wave": "2"]),
      Self.object("Namespace", "ns"),
      Self.object("Widget", "custom"),
      Self.object("Secret", "early", annotations: ["argocd.argoproj.io/sync-wave": "-1"]),
      Self.object("Job", "pre", annotations: ["argocd.argoproj.io/hook": "PreSync"]),
    ]
    let sorted = try objects.map { ($0, try Self.order($0)) }.sorted { $0.1 < $1.1 }
      .map { $0.0["metadata"]?["name"]?.stringValue ?? "" }
    #expect(sorted == ["pre", "early", "ns", "z", "a", "b", "custom", "late"])
  }

  @Test func aWaveThatIsNotANumberNamesTheTemplate() {
    let bad = Self.object("ConfigMap", "x", annotations: ["tripgen.io/sync-wave": "soon"])
    #expect {
      try SyncAnnotations.wave(of: bad, isHook: false, source: "app/templates/x.yaml")
    } throws: {
      "\($0)"
        == "app/templates/x.yaml: annotation tripgen.io/sync-wave is \"soon\"; expected an integer"
    }
  }

  @Test func imageBindingsParseFromTheCommandLine() throws {
    let digest = "sha256:" + String(repeating: "ab", count: 32)
    let binding = try #require(
      FixedImageBindings.parse("user-service=tripgendev.azurecr.io/user-service:src-1@\(digest)"))
    #expect(binding.registry == "tripgendev.azurecr.io")
    #expect(binding.repository == "user-service")
    #expect(binding.tag == "src-1")
    #expect(binding.digest == digest)
    #expect(FixedImageBindings.parse("user-service=user-service:1") == nil)
  }
}
