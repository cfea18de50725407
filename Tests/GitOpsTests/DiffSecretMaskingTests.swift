import GitOps
import Testing
import YAML

@Suite struct DiffSecretMaskingTests {
  static func secret(_ data: String, stringData: String? = nil, lastApplied: Bool = false) throws
    -> JSONValue
  {
    try YAML.loadOne(
      """
      apiVersion: v1
      kind: Secret
      metadata:
        name: trip-db
        namespace: tripgen-dev
      \(lastApplied ? "  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"password\":\"aHVudGVyMg==\"}}'" : "")
      type: Opaque
      data:
      \(data)
      \(stringData.map { "stringData:\n\($0)" } ?? "")
      """)
  }

  @Test func changedValuesDifferWithoutShowingThem() throws {
    let live = try Self.secret(
      "  password: aHVudGVyMg==\n  username: dHJpcGdlbg==\n  old-key: b2xk", lastApplied: true)
    let desired = try Self.secret(
      "  password: Y29ycmVjdC1ob3JzZQ==\n  username: dHJpcGdlbg==\n  new-key: bmV3",
      stringData: "  url: postgres://trip:s3cret@postgres:5432/trip")
    let diff = ObjectDiff(live: live, desired: desired)
    #expect(diff.differs)
    // Per key, the desired value gets the first marker (Argo CD masks target before live); a
    // different live value gets a longer one, an equal one the same.
    #expect(
      diff.desired?["data"]
        == ["password": "++++++++", "username": "++++++++", "new-key": "++++++++"])
    #expect(
      diff.live?["data"]
        == ["password": "++++++++++++", "username": "++++++++", "old-key": "++++++++"])
    #expect(diff.desired?["stringData"] == ["url": "++++++++"])
    #expect(diff.live?["metadata"]?["annotations"] == [:])

    let text = diff.unifiedDiff()
    for secret in [
      "aHVudGVyMg==", "Y29ycmVjdC1ob3JzZQ==", "dHJpcGdlbg==", "b2xk", "bmV3", "s3cret",
    ] {
      #expect(!text.contains(secret), "the diff shows \(secret)")
    }
    #expect(text.contains("-  password: ++++++++++++\n"))
    #expect(text.contains("+  password: ++++++++\n"))
    #expect(text.contains("   username: ++++++++\n"))
  }

  @Test func equalSecretsDoNotDiffer() throws {
    let live = try Self.secret("  password: aHVudGVyMg==")
    let diff = ObjectDiff(live: live, desired: try Self.secret("  password: aHVudGVyMg=="))
    #expect(!diff.differs)
    #expect(diff.unifiedDiff() == "")
  }

  @Test func newAndPrunedSecretsAreMaskedToo() throws {
    let secret = try Self.secret("  password: aHVudGVyMg==")
    let created = ObjectDiff(live: nil, desired: secret)
    #expect(created.differs)
    #expect(created.desired?["data"]?["password"] == "++++++++")
    #expect(!created.unifiedDiff().contains("aHVudGVyMg=="))
    let pruned = ObjectDiff(live: secret, desired: nil)
    #expect(!pruned.unifiedDiff().contains("aHVudGVyMg=="))
    #expect(SecretMasker.mask(secret)["data"] == ["password": "++++++++"])
  }

  @Test func otherKindsAreNotMasked() throws {
    let configMap = try YAML.loadOne(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {password: visible}")
    #expect(SecretMasker.mask(configMap) == configMap)
  }
}
