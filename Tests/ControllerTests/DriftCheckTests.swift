import Controller
import Testing
import YAML

@Suite struct DriftCheckTests {
  let desired: JSONValue = [
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": ["name": "web", "labels": ["app": "web"]],
    "spec": [
      "replicas": 2,
      "template": ["spec": ["containers": [["name": "web", "image": "nginx:1.27"]]]],
    ],
  ]

  @Test func fieldsTheAPIAddsAreNotDrift() {
    let live: JSONValue = [
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": [
        "name": "web", "labels": ["app": "web"], "uid": "u", "resourceVersion": "7",
        "managedFields": [],
      ],
      "spec": [
        "replicas": 2, "revisionHistoryLimit": 10,
        "template": [
          "spec": [
            "containers": [
              ["name": "web", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent"]
            ]
          ]
        ],
      ],
      "status": ["replicas": 2],
    ]
    #expect(DriftCheck.differences(desired: desired, live: live).isEmpty)
  }

  @Test func changedRemovedAndAddedListItemsAreDrift() {
    let live: JSONValue = [
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": ["name": "web", "labels": [:]],
      "spec": [
        "replicas": 5,
        "template": [
          "spec": [
            "containers": [
              ["name": "web", "image": "nginx:latest"], ["name": "sidecar", "image": "busybox"],
            ]
          ]
        ],
      ],
    ]
    #expect(
      DriftCheck.differences(desired: desired, live: live) == [
        "/metadata/labels/app", "/spec/replicas", "/spec/template/spec/containers",
      ])
  }

  @Test func ignoredPointersDoNotCount() {
    let live: JSONValue = [
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": ["name": "web", "labels": ["app": "web"]],
      "spec": [
        "replicas": 4,
        "template": ["spec": ["containers": [["name": "web", "image": "nginx:1.27"]]]],
      ],
    ]
    #expect(DriftCheck.differences(desired: desired, live: live) == ["/spec/replicas"])
    #expect(
      DriftCheck.differences(desired: desired, live: live, ignoring: ["/spec/replicas"]).isEmpty)
  }
}
