import Testing
import YAML

/// Objects for the health tests, written as `kubectl get -o yaml` prints them.
enum HealthFixtures {
  /// Parses one YAML document; a fixture that does not parse fails the test that uses it.
  static func object(_ yaml: String) throws -> JSONValue {
    try YAML.loadOne(yaml, file: "fixture")
  }

  /// A Deployment of `user-service` at generation 4 with `status` as given (YAML, indented 2).
  static func deployment(spec: String = "", status: String) throws -> JSONValue {
    try object(
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: user-service
        namespace: tripgen-dev
        generation: 4
        uid: 7d1c3e4a-3f7e-4b8e-9a51-1f2b8c9d0e11
        resourceVersion: "184467"
      spec:
        replicas: 3
        progressDeadlineSeconds: 600
        selector:
          matchLabels:
            app.kubernetes.io/name: user-service
      \(spec)
        template:
          metadata:
            labels:
              app.kubernetes.io/name: user-service
          spec:
            containers:
            - name: user-service
              image: tripgen.azurecr.io/user-service@sha256:4b1c0e5f
      status:
      \(status)
      """)
  }

  /// A pod of user-service with the given restart policy, phase, conditions and container statuses.
  static func pod(
    name: String = "user-service-7c9f8d6b5-x2kqp", restartPolicy: String = "Always",
    annotations: String = "", phase: String, ready: Bool, containerStatuses: String,
    extraStatus: String = ""
  ) throws -> JSONValue {
    try object(
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: \(name)
        namespace: tripgen-dev
      \(annotations)
        labels:
          app.kubernetes.io/name: user-service
        ownerReferences:
        - apiVersion: apps/v1
          kind: ReplicaSet
          name: user-service-7c9f8d6b5
          uid: 0c5e2b7e-3a41-4a0e-8d2c-5f9b1e3d2a10
          controller: true
      spec:
        restartPolicy: \(restartPolicy)
        containers:
        - name: user-service
          image: tripgen.azurecr.io/user-service@sha256:4b1c0e5f
      status:
        phase: \(phase)
        conditions:
        - type: Initialized
          status: "True"
          lastTransitionTime: "2026-11-27T04:10:00Z"
        - type: Ready
          status: "\(ready ? "True" : "False")"
          lastTransitionTime: "2026-11-27T04:10:30Z"
      \(ready ? "" : "    reason: ContainersNotReady\n    message: 'containers with unready status: [user-service]'")
        - type: PodScheduled
          status: "True"
          lastTransitionTime: "2026-11-27T04:10:00Z"
        hostIP: 10.224.0.5
        podIP: 10.244.1.17
        startTime: "2026-11-27T04:10:00Z"
        qosClass: Burstable
      \(extraStatus)
        containerStatuses:
      \(containerStatuses)
      """)
  }
}
