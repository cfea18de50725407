import Environments
import Foundation
import Git
import Kube
import YAML

/// An ``EnvironmentSyncer`` that renders the environment and server-side applies every object in
/// order (field manager `tripgen`, forcing conflicts, as the engine does), checking for
/// cancellation between two applies.
///
/// It is the controller's interim engine until the GitOps engine (issue #7) is wired in, and does
/// less: it does not prune (an object removed from Git is reported in the message, never deleted),
/// has no waves, hooks, inventory or history, and cannot resolve service image digests, so an
/// environment with `spec.images` is refused with a message saying so.
public struct ServerSideApplySyncer: EnvironmentSyncer {
  public let client: KubeClient
  public let fieldManager: String

  public init(client: KubeClient, fieldManager: String = "tripgen") {
    self.client = client
    self.fieldManager = fieldManager
  }

  public func health(of object: JSONValue) -> (HealthStatus, String?) {
    BasicHealth.assess(object)
  }

  public func sync(_ request: SyncRequest) async -> SyncOutcome {
    let environment = request.environment
    guard environment.spec.images.isEmpty else {
      return SyncOutcome(
        result: .failed,
        message:
          "environment \(environment.name) builds service images; resolving their digests needs the GitOps engine, which this build of the controller does not include yet"
      )
    }
    let desired: DesiredState
    do {
      desired = try EnvironmentRenderer().render(
        environment, files: request.files, revision: request.commit.id.description, images: [])
    } catch {
      return SyncOutcome(
        result: .failed,
        message:
          "\(ControllerError.environment(name: environment.name, revision: request.commit.id.description, error))"
      )
    }
    var applied: [AppliedObject] = []
    var changed: [ObjectKey] = []
    for rendered in desired.objects {
      if Task.isCancelled {
        return SyncOutcome(
          result: .cancelled,
          message: "stopped after \(applied.count) of \(desired.objects.count) objects",
          applied: applied, changed: changed)
      }
      let object = request.sleeping ? SleepAdjustment.apply(to: rendered.object) : rendered.object
      do {
        // Each object's requests run in a task of their own, which the caller's cancellation does
        // not reach: a SIGTERM lets the apply in flight finish, then stops before the next one.
        let client = self.client
        let fieldManager = self.fieldManager
        let key = rendered.key
        let (before, result) = try await Task {
          // The resourceVersion before and after tells whether the apply changed anything (an
          // apply that changes nothing leaves it as it was).
          let resource = try await client.resource(
            apiVersion: object["apiVersion"]?.stringValue ?? "", kind: key.kind)
          let before = try await client.getIfPresent(
            resource, namespace: key.namespace.isEmpty ? nil : key.namespace, name: key.name)
          return (before, try await client.apply(object, fieldManager: fieldManager, force: true))
        }.value
        applied.append(AppliedObject(key: rendered.key, desired: object, live: result.object))
        if before?["metadata"]?["resourceVersion"] != result.object["metadata"]?["resourceVersion"]
        {
          changed.append(rendered.key)
        }
      } catch {
        return SyncOutcome(
          result: .failed, message: "\(rendered.key.displayName): \(error)", applied: applied,
          changed: changed, failedObject: rendered.key)
      }
    }
    return SyncOutcome(
      result: .succeeded,
      message:
        "applied \(desired.objects.count) objects at \(request.commit.id.description.prefix(7))",
      applied: applied, changed: changed)
  }
}
