import Blocking
import Environments
import Foundation
import GitOps

/// The one way from Git to the cluster that `tripgen sync|diff|status|rollback`, `tripgen ci` and
/// the controller all take: a ``Revision`` of the ``EnvironmentSource``, the environment's images
/// bound by an ``ImageBindingProvider``, its charts rendered, then plan, sync and status through
/// the ``GitOpsEngine`` (which applies the sleep marker's replicas). The front ends only choose
/// the revision, the images and the options, and present the result.
public struct Delivery: Sendable {
  public let source: EnvironmentSource
  public let images: any ImageBindingProvider
  public let renderer: EnvironmentRenderer

  public init(
    source: EnvironmentSource, images: any ImageBindingProvider,
    renderer: EnvironmentRenderer = EnvironmentRenderer()
  ) {
    self.source = source
    self.images = images
    self.renderer = renderer
  }

  /// Environment `name` at `revision`, its images bound and its charts rendered. Rendering is
  /// pure: a chart that fails to render throws here, before anything reaches a cluster.
  public func desiredState(of name: String, at revision: Revision) async throws -> DesiredState {
    let (environment, files) = try await source.files(of: name, at: revision)
    let bindings = try await images.bindings(for: environment, at: revision)
    return try await render(environment, files: files, at: revision, images: bindings)
  }

  /// Renders off Swift's cooperative pool: templates and file reads block.
  public func render(
    _ environment: Environment, files: any SourceFiles, at revision: Revision,
    images: [ImageBinding]
  ) async throws -> DesiredState {
    let renderer = self.renderer
    return try await offPool { () throws(EnvironmentError) in
      try renderer.render(environment, files: files, revision: revision, images: images)
    }
  }

  /// What a sync of `desired` would do (see ``GitOpsEngine/plan(_:prune:requireImages:)``).
  public static func plan(
    _ desired: DesiredState, on engine: GitOpsEngine, prune: Bool? = nil,
    requireImages: Bool = true
  ) async throws -> SyncPlan {
    try await engine.plan(desired, prune: prune, requireImages: requireImages)
  }

  /// Makes the cluster equal to `desired` (see ``GitOpsEngine/sync(_:options:plan:progress:)``).
  /// The engine plans with the environment's sleep marker, so a sleeping environment's
  /// Deployments are applied at zero replicas whoever syncs; the schedule that turns the marker
  /// is the controller's timer (``SleepSchedule``). `plan`, when given, is the plan the caller
  /// already computed and showed: the first attempt applies it instead of dry-running every
  /// object again.
  public static func sync(
    _ desired: DesiredState, on engine: GitOpsEngine, options: SyncOptions = SyncOptions(),
    plan: SyncPlan? = nil, progress: @escaping @Sendable (SyncEvent) -> Void = { _ in }
  ) async throws -> SyncResult {
    try await engine.sync(desired, options: options, plan: plan, progress: progress)
  }

  /// How the environment stands against `desired` (see ``GitOpsEngine/status(_:)``).
  public static func status(_ desired: DesiredState, on engine: GitOpsEngine) async throws
    -> EnvironmentStatus
  {
    try await engine.status(desired)
  }
}
