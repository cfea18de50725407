import Environments
import Foundation
import GitOps
import Kube

/// An environment's night and weekend schedule, applied to its sleep marker by the controller's
/// timer: the marker is what every sync plans with (the engine reads it), so whoever syncs next
/// (the controller, a person with `tripgen sync`, the CI step) applies the replicas it asks for.
public struct SleepSchedule: Sendable {
  public let client: KubeClient
  public let environment: Environment

  public init(client: KubeClient, environment: Environment) {
    self.client = client
    self.environment = environment
  }

  /// Writes the marker when the schedule's phase at `now` (`awake` or `asleep`) differs from the
  /// phase it last applied, and returns the new phase; nil when there is no schedule or the phase
  /// is unchanged. A person's `tripgen env sleep|wake` in between keeps the recorded phase, so it
  /// holds until the schedule's next turn.
  @discardableResult
  public func apply(now: Date) async throws -> String? {
    guard let schedule = environment.spec.schedule else { return nil }
    let phase = try ShutdownScheduleClock(schedule).phase(at: now)
    let marker = SleepMarker(
      client: client, environment: environment.name, namespace: environment.spec.namespace)
    let current = try await marker.read()
    guard current?.schedulePhase != phase else { return nil }
    try await marker.write(
      SleepState(
        asleep: phase == "asleep", reason: "schedule", since: now, schedulePhase: phase,
        replicas: current?.replicas ?? [:]))
    return phase
  }
}
