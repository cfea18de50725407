import GitOps
import Testing
import YAML

@Suite struct DiffNormalizerTests {
  /// A live Deployment as `kubectl get -o yaml` shows it after a client-side `kubectl apply`.
  static let live = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      annotations:
        deployment.kubernetes.io/revision: "4"
        kubectl.kubernetes.io/last-applied-configuration: |
          {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"user-service","namespace":"tripgen-dev"}}
      creationTimestamp: "2026-11-20T09:12:44Z"
      generation: 4
      labels:
        app.kubernetes.io/managed-by: tripgen
        app.kubernetes.io/name: user-service
      managedFields:
      - apiVersion: apps/v1
        fieldsType: FieldsV1
        fieldsV1:
          f:spec:
            f:replicas: {}
        manager: tripgen
        operation: Apply
        time: "2026-11-27T04:09:58Z"
      name: user-service
      namespace: tripgen-dev
      resourceVersion: "184467"
      uid: 7d1c3e4a-3f7e-4b8e-9a51-1f2b8c9d0e11
    spec:
      progressDeadlineSeconds: 600
      replicas: 5
      revisionHistoryLimit: 10
      selector:
        matchLabels:
          app.kubernetes.io/name: user-service
      template:
        metadata:
          annotations:
            kubectl.kubernetes.io/restartedAt: "2026-11-26T18:00:00Z"
          labels:
            app.kubernetes.io/name: user-service
        spec:
          containers:
          - image: tripgen.azurecr.io/user-service@sha256:4b1c0e5f
            name: user-service
    status:
      availableReplicas: 5
      observedGeneration: 4
      replicas: 5
    """

  @Test func stripsWhatTheServerMaintains() throws {
    let normalized = LiveObjectNormalizer().normalize(try YAML.loadOne(Self.live))
    #expect(normalized["status"] == nil)
    let metadata = try #require(normalized["metadata"])
    for field in [
      "managedFields", "resourceVersion", "generation", "uid", "creationTimestamp",
    ] {
      #expect(metadata[field] == nil, "\(field)")
    }
    #expect(metadata["annotations"] == ["deployment.kubernetes.io/revision": "4"])
    #expect(metadata["labels"]?["app.kubernetes.io/managed-by"] == "tripgen")
    #expect(normalized["spec"]?["replicas"] == 5)
  }

  @Test func anAnnotationMapLeftEmptyIsRemoved() throws {
    let live = try YAML.loadOne(
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        annotations:
          kubectl.kubernetes.io/last-applied-configuration: '{"data":{"a":"1"}}'
        selfLink: /api/v1/namespaces/tripgen-dev/configmaps/settings
        deletionTimestamp: "2026-11-27T05:00:00Z"
        deletionGracePeriodSeconds: 0
      data: {a: "1"}
      """)
    let desired = try YAML.loadOne(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: \"1\"}")
    let normalizer = LiveObjectNormalizer()
    let pair = normalizer.normalize(desired: desired, live: live)
    #expect(pair.live == pair.desired)
    #expect(!ObjectDiff.normalizing(desired: desired, live: live, with: normalizer).differs)
  }

  @Test func ignoreRulesApplyToTheirGroupAndKindOnly() throws {
    let normalizer = LiveObjectNormalizer(ignoreRules: [
      IgnoreDifferencesRule(
        group: "apps", kind: "Deployment",
        jsonPointers: [
          try JSONPointer("/spec/replicas"),
          try JSONPointer("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"),
        ]),
      IgnoreDifferencesRule(
        group: "", kind: "Service", name: "gateway",
        jsonPointers: [try JSONPointer("/spec/clusterIP")]),
    ])
    let live = try YAML.loadOne(Self.live)
    var desired = live
    // The dry-run result: what tripgen applies, with the autoscaler's replica count left out.
    desired = desired.removing(try JSONPointer("/spec/replicas"))
    desired = desired.removing(
      try JSONPointer("/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"))
    #expect(
      ObjectDiff.normalizing(desired: desired, live: live, with: LiveObjectNormalizer()).differs)
    #expect(!ObjectDiff.normalizing(desired: desired, live: live, with: normalizer).differs)

    // A StatefulSet's replicas still count: the rule names Deployments.
    let statefulSet = try YAML.loadOne(
      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: postgres}\nspec: {replicas: 3}")
    #expect(normalizer.normalize(statefulSet)["spec"]?["replicas"] == 3)

    // The Service rule names one Service.
    let gateway = try YAML.loadOne(
      "apiVersion: v1\nkind: Service\nmetadata: {name: gateway}\nspec: {clusterIP: 10.0.0.7}")
    let other = try YAML.loadOne(
      "apiVersion: v1\nkind: Service\nmetadata: {name: users}\nspec: {clusterIP: 10.0.0.8}")
    #expect(normalizer.normalize(gateway)["spec"] == [:])
    #expect(normalizer.normalize(other)["spec"] == ["clusterIP": "10.0.0.8"])
  }

  @Test func wildcardRuleMatchesEveryKind() throws {
    let rule = IgnoreDifferencesRule(
      group: "*", kind: "*", jsonPointers: [try JSONPointer("/metadata/labels/team")])
    let object = try YAML.loadOne(
      "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, labels: {team: a, app: j}}")
    #expect(rule.matches(object))
    #expect(
      LiveObjectNormalizer(ignoreRules: [rule]).normalize(object)["metadata"]?["labels"]
        == ["app": "j"])
    #expect(
      !IgnoreDifferencesRule(group: "apps", kind: "*", jsonPointers: []).matches(object))
    #expect(
      IgnoreDifferencesRule(group: "batch", kind: "Job", namespace: "tripgen-dev", jsonPointers: [])
        .matches(object) == false)
  }
}
