import GitOps
import Testing
import YAML

/// Services, Ingresses, claims, namespaces and autoscalers.
@Suite struct HealthCoreKindTests {
  @Test func loadBalancerServiceWaitsForAnAddress() throws {
    let pending = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Service
      metadata: {name: gateway, namespace: tripgen-dev}
      spec:
        type: LoadBalancer
        ports: [{port: 80, targetPort: 8080, protocol: TCP}]
      status:
        loadBalancer: {}
      """)
    #expect(
      HealthAssessor.assess(pending)
        == HealthAssessment(
          status: .progressing,
          message: "Waiting for the load balancer to publish an address for the Service"))
    let published = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Service
      metadata: {name: gateway}
      spec: {type: LoadBalancer}
      status:
        loadBalancer:
          ingress:
          - ip: 20.76.14.201
            ipMode: VIP
      """)
    #expect(
      HealthAssessor.assess(published)
        == HealthAssessment(status: .healthy, message: "Load balancer address: 20.76.14.201"))
    let clusterIP = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Service
      metadata: {name: user-service}
      spec: {type: ClusterIP, clusterIP: 10.0.114.7}
      status: {loadBalancer: {}}
      """)
    #expect(HealthAssessor.assess(clusterIP) == .healthy)
  }

  @Test func ingressWaitsForItsController() throws {
    let pending = try HealthFixtures.object(
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: tripgen, namespace: tripgen-dev, generation: 1}
      spec:
        ingressClassName: nginx
        rules: [{host: dev.tripgen.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: gateway, port: {number: 80}}}}]}}]
      status:
        loadBalancer: {}
      """)
    #expect(HealthAssessor.assess(pending).status == .progressing)
    let published = try HealthFixtures.object(
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: tripgen}
      status:
        loadBalancer:
          ingress:
          - hostname: tripgen-dev.westeurope.cloudapp.azure.com
      """)
    #expect(
      HealthAssessor.assess(published)
        == HealthAssessment(
          status: .healthy,
          message: "Load balancer address: tripgen-dev.westeurope.cloudapp.azure.com"))
  }

  @Test(arguments: [
    ("Bound", HealthStatus.healthy), ("Pending", .progressing), ("Lost", .degraded),
    ("Sideways", .unknown),
  ])
  func persistentVolumeClaimPhases(phase: String, expected: HealthStatus) throws {
    let claim = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data-postgres-0, namespace: tripgen-dev}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 8Gi}}
        storageClassName: managed-csi
        volumeName: pvc-3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d
      status:
        phase: \(phase)
      """)
    let assessment = HealthAssessor.assess(claim)
    #expect(assessment.status == expected)
    if phase == "Lost" {
      #expect(
        assessment.message
          == "PersistentVolumeClaim lost its volume \"pvc-3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d\"")
    }
  }

  @Test func namespacePhases() throws {
    let active = try HealthFixtures.object(
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: tripgen-dev}\nstatus: {phase: Active}")
    #expect(HealthAssessor.assess(active) == .healthy)
    let terminating = try HealthFixtures.object(
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: tripgen-old}
      spec: {finalizers: [kubernetes]}
      status:
        phase: Terminating
        conditions:
        - type: NamespaceDeletionDiscoveryFailure
          status: "False"
          reason: ResourcesDiscovered
          message: All resources successfully discovered
        - type: NamespaceContentRemaining
          status: "True"
          reason: SomeResourcesRemain
          message: 'Some resources are remaining: persistentvolumeclaims. has 1 resource instances'
      """)
    #expect(
      HealthAssessor.assess(terminating)
        == HealthAssessment(
          status: .progressing,
          message: "Namespace is terminating: SomeResourcesRemain: Some resources are remaining: "
            + "persistentvolumeclaims. has 1 resource instances"))
  }

  static func autoscaler(_ conditions: String) throws -> JSONValue {
    try HealthFixtures.object(
      """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: trip-service, namespace: tripgen-dev}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: trip-service}
        minReplicas: 2
        maxReplicas: 6
      status:
        currentReplicas: 2
        desiredReplicas: 2
      \(conditions)
      """)
  }

  @Test func autoscalerStates() throws {
    #expect(
      HealthAssessor.assess(try Self.autoscaler(""))
        == HealthAssessment(status: .progressing, message: "Waiting to Autoscale"))
    let healthy = try Self.autoscaler(
      """
        conditions:
        - type: AbleToScale
          status: "True"
          reason: ReadyForNewScale
          message: recommended size matches current size
        - type: ScalingActive
          status: "True"
          reason: ValidMetricFound
          message: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
        - type: ScalingLimited
          status: "False"
          reason: DesiredWithinRange
          message: the desired count is within the acceptable range
      """)
    #expect(HealthAssessor.assess(healthy) == .healthy)
    let limited = try Self.autoscaler(
      """
        conditions:
        - {type: AbleToScale, status: "True", reason: ReadyForNewScale, message: recommended size matches current size}
        - {type: ScalingActive, status: "True", reason: ValidMetricFound, message: ok}
        - {type: ScalingLimited, status: "True", reason: TooFewReplicas, message: the desired replica count is less than the minimum replica count}
      """)
    #expect(
      HealthAssessor.assess(limited)
        == HealthAssessment(
          status: .healthy,
          message:
            "TooFewReplicas: the desired replica count is less than the minimum replica count"
        ))
    let noMetrics = try Self.autoscaler(
      """
        conditions:
        - {type: AbleToScale, status: "True", reason: SucceededGetScale, message: the HPA controller was able to get the target's current scale}
        - type: ScalingActive
          status: "False"
          reason: FailedGetResourceMetric
          message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API'
      """)
    #expect(
      HealthAssessor.assess(noMetrics)
        == HealthAssessment(
          status: .degraded,
          message: "FailedGetResourceMetric: the HPA was unable to compute the replica count: "
            + "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics "
            + "returned from resource metrics API"))
    let disabled = try Self.autoscaler(
      """
        conditions:
        - {type: AbleToScale, status: "True", reason: SucceededGetScale, message: ok}
        - {type: ScalingActive, status: "False", reason: ScalingDisabled, message: scaling is disabled since the replica count of the target is zero}
      """)
    #expect(
      HealthAssessor.assess(disabled)
        == HealthAssessment(
          status: .suspended,
          message:
            "ScalingDisabled: scaling is disabled since the replica count of the target is zero"))
    let backingOff = try Self.autoscaler(
      """
        conditions:
        - {type: AbleToScale, status: "False", reason: BackoffBoth, message: the time since the previous scale is still within both the downscale and upscale forbidden windows}
        - {type: ScalingActive, status: "True", reason: ValidMetricFound, message: ok}
      """)
    #expect(
      HealthAssessor.assess(backingOff)
        == HealthAssessment(
          status: .progressing,
          message: "BackoffBoth: the time since the previous scale is still within both the "
            + "downscale and upscale forbidden windows"))
  }

  @Test func autoscalingV1ReadsTheConditionsAnnotation() throws {
    let autoscaler = try HealthFixtures.object(
      #"""
      apiVersion: autoscaling/v1
      kind: HorizontalPodAutoscaler
      metadata:
        name: trip-service
        annotations:
          autoscaling.alpha.kubernetes.io/conditions: '[{"type":"AbleToScale","status":"False","lastTransitionTime":"2026-11-27T04:00:00Z","reason":"FailedGetScale","message":"deployments/scale.apps \"trip-service\" not found"}]'
      spec: {maxReplicas: 6, scaleTargetRef: {kind: Deployment, name: trip-service}}
      status: {currentReplicas: 0, desiredReplicas: 0}
      """#)
    #expect(
      HealthAssessor.assess(autoscaler)
        == HealthAssessment(
          status: .degraded,
          message: "FailedGetScale: deployments/scale.apps \"trip-service\" not found"))
  }
}
