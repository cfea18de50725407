import Foundation
import Kube
import Testing
import YAML

/// What `tripgen kube get` prints.
@Suite struct KubeObjectPrinterTests {
  let now = Date(timeIntervalSince1970: 1_800_000_000)

  private func object(_ name: String, namespace: String, agoSeconds: Double) -> JSONValue {
    let formatter = ISO8601DateFormatter()
    return [
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": [
        "name": .string(name), "namespace": .string(namespace),
        "creationTimestamp": .string(formatter.string(from: now.addingTimeInterval(-agoSeconds))),
      ],
    ]
  }

  @Test func tableWithAges() {
    let objects = [
      object("settings", namespace: "tripgen-dev", agoSeconds: 30),
      object("x", namespace: "b", agoSeconds: 7200),
    ]
    #expect(
      KubeObjectPrinter.table(objects, withNamespace: false, now: now) == """
        NAME       AGE
        settings   30s
        x          120m

        """)
    #expect(
      KubeObjectPrinter.table(objects, withNamespace: true, now: now) == """
        NAMESPACE     NAME       AGE
        tripgen-dev   settings   30s
        b             x          120m

        """)
    #expect(KubeObjectPrinter.age(3 * 86400) == "3d")
    #expect(KubeObjectPrinter.age(5 * 3600) == "5h")
  }

  @Test func yamlAndJSONLikeKubectl() throws {
    let single = object("settings", namespace: "default", agoSeconds: 1)
    #expect(try YAML.loadOne(KubeObjectPrinter.yaml([single], single: true)) == single)
    let list = try YAML.loadOne(KubeObjectPrinter.yaml([single, single], single: false))
    #expect(list["kind"] == "List")
    #expect(list["items"]?.arrayValue?.count == 2)
    let json = KubeObjectPrinter.json([["a": [1, 2], "b": [:]]], single: true)
    #expect(json == "{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": {}\n}\n")
  }
}
