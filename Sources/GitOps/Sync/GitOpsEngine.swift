import Environments
import Kube
import YAML

/// The reconcile engine: compares an environment's desired state with the cluster (`plan`), makes
/// the cluster equal to it (`sync`), and reports how it stands (`status`). The CLI, the in-cluster
/// controller and `tripgen ci` all drive this one type.
///
/// It writes with server-side apply as field manager `tripgen`, lists objects by the environment
/// label, keeps an ApplySet-style inventory for prune and a history of syncs, both in ConfigMaps in
/// the environment's namespace.
public struct GitOpsEngine: Sendable {
  /// The field manager of every write.
  public static let fieldManager = "tripgen"

  public let client: KubeClient

  public init(client: KubeClient) {
    self.client = client
  }

  /// The environment's inventory.
  public func inventory(of environment: Environment) -> ApplySetInventory {
    ApplySetInventory(environment: environment.name, namespace: environment.spec.namespace)
  }

  /// The environment's history.
  public func history(of environment: Environment) -> SyncHistory {
    SyncHistory(
      client: client, environment: environment.name, namespace: environment.spec.namespace)
  }

  /// What a sync of `desired` would do, computed with server-side dry runs and without writing.
  /// Throws ``GitOpsError/validation(_:)`` when any object fails validation (including the server's
  /// dry run) and ``GitOpsError/waitingForImages(_:)`` when an image it needs has no digest yet.
  /// `prune` nil follows the environment's sync policy. With `requireImages` false (a diff or a
  /// status), images still waiting are listed in the plan instead of stopping it.
  public func plan(_ desired: DesiredState, prune: Bool? = nil, requireImages: Bool = true)
    async throws -> SyncPlan
  {
    let environment = desired.environment
    let waiting = imagesNeeded(by: desired).filter { $0.digest == nil }
    if requireImages, !waiting.isEmpty { throw GitOpsError.waitingForImages(waiting) }
    let inventory = inventory(of: environment)
    var classified = try classify(desired, inventory: inventory)
    try await checkNamespace(of: environment, desired: desired)
    let previous = try await inventory.read(client: client)
    // The sleep policy belongs to the environment, not to a front end: every sync (the CLI, the CI
    // step, the controller) applies the replicas the sleep marker asks for.
    let sleep = try await SleepMarker(
      client: client, environment: environment.name, namespace: environment.spec.namespace
    ).read()
    if sleep?.asleep == true {
      for index in classified.indices where classified[index].hook == nil {
        classified[index].object = SleepAdjustment.apply(to: classified[index].object)
      }
    }
    // A sync that wrote and then failed (a wave that timed out, a process killed mid-way) left
    // hooks that never ran and objects never seen healthy: the next sync must finish that work,
    // even when no object differs any more.
    let lastSync = try await history(of: environment).entries().last
    let incomplete =
      lastSync.map { $0.result != SyncHistory.succeeded } ?? !previous.isEmpty

    var groupKinds = Set(classified.map { GroupKind($0.key) })
    groupKinds.formUnion(previous.map(GroupKind.init))
    var namespaces: Set<String> = [environment.spec.namespace]
    for key in classified.map(\.key) + Array(previous) where !key.namespace.isEmpty {
      namespaces.insert(key.namespace)
    }
    let live = try await LiveStateReader(client: client).read(
      environment: environment.name, groupKinds: groupKinds, namespaces: namespaces)

    let comparison = try LiveComparison(environment: environment)
    let creatingNamespaces = Set(
      classified.filter { $0.key.group == "" && $0.key.kind == "Namespace" && live[$0.key] == nil }
        .map(\.key.name))
    // Kinds whose CustomResourceDefinition the same sync creates are unknown to the server yet.
    var creatingKinds: Set<GroupKind> = []
    for entry in classified where entry.key.kind == "CustomResourceDefinition" {
      guard let kind = entry.object["spec"]?["names"]?["kind"]?.stringValue else { continue }
      let groupKind = GroupKind(
        group: entry.object["spec"]?["group"]?.stringValue ?? "", kind: kind)
      if try await client.resource(groupKind: groupKind) == nil { creatingKinds.insert(groupKind) }
    }
    var problems: [ValidationProblem] = []
    var objects: [PlannedObject] = []
    var skipped: [PlannedObject] = []
    for entry in classified {
      var planned = PlannedObject(
        key: entry.key, action: .create, order: entry.order, hook: entry.hook,
        desired: entry.object, live: live[entry.key], source: entry.source)
      if let reason = entry.skipReason {
        planned.action = .skip
        planned.note = reason
        skipped.append(planned)
        continue
      }
      // An object whose namespace or CRD the same sync creates cannot be dry-run yet; nor can a
      // hook that replaces its previous run (a Job's template is immutable): they are validated
      // when written.
      let dryRunnable =
        !creatingNamespaces.contains(entry.key.namespace)
        && !creatingKinds.contains(GroupKind(entry.key))
        && !(entry.hook != nil && planned.live != nil)
      if dryRunnable {
        do {
          let (predicted, taken) = try await dryRunApply(entry.object)
          planned.predicted = predicted
          planned.takenFields = taken
        } catch let error as KubeError {
          problems.append(
            ValidationProblem(key: entry.key, source: entry.source, message: Self.message(error)))
          continue
        }
      }
      if planned.live == nil, entry.hook == nil, Self.exists(planned.predicted) {
        // Not listed by the environment's labels, yet the server has it: someone else's object
        // (or another environment's) that an apply would silently take over.
        planned.live = try await untrackedObject(entry.object, key: entry.key)
        planned.untracked = true
        planned.note = PlanNotes.untracked
      }
      if entry.hook != nil {
        planned.action = .runHook
      } else if let current = planned.live {
        let changed =
          planned.predicted.map {
            comparison.changedPaths(live: current, predicted: $0)
          } ?? ["(object)"]
        planned.changedPaths = changed
        planned.action = changed.isEmpty ? .unchanged : .update
      }
      objects.append(planned)
    }
    if !problems.isEmpty { throw GitOpsError.validation(problems) }

    let pruneEnabled = prune ?? environment.spec.syncPolicy.prune
    let desiredKeys = Set(classified.map(\.key))
    var stale: [PlannedObject] = []
    for key in previous.subtracting(desiredKeys) {
      // Gone already, or its labels changed: either way nothing to delete.
      guard let current = live[key] else { continue }
      let isHook = (try? SyncAnnotations.role(of: current, source: key.description)) != .resource
      let wave = (try? SyncAnnotations.wave(of: current, isHook: isHook, source: "")) ?? 0
      var planned = PlannedObject(
        key: key, action: .prune, order: SyncAnnotations.order(key: key, phase: .sync, wave: wave),
        live: current)
      if !TrackingMarks.isOwned(current, by: environment.name) {
        planned.action = .skip
        planned.note = PlanNotes.notOurs
      } else if !pruneEnabled {
        planned.action = .skip
        planned.note = PlanNotes.pruneOff
      }
      stale.append(planned)
    }
    return SyncPlan(
      environment: environment, revision: desired.revision, images: desired.images,
      objects: objects.sorted { $0.order < $1.order },
      prune: stale.sorted { $1.order < $0.order }, previousInventory: previous,
      skipped: skipped, pruneEnabled: pruneEnabled, waitingForImages: waiting,
      normalizer: comparison.normalizer, sleep: sleep, lastSyncIncomplete: incomplete)
  }

  /// Whether a dry-run answer describes an object the server already stores: a dry-run create
  /// answers without a resourceVersion, an update of a stored object with the stored one.
  static func exists(_ predicted: JSONValue?) -> Bool {
    guard let version = predicted?["metadata"]?["resourceVersion"]?.stringValue else {
      return false
    }
    return !version.isEmpty
  }

  /// The stored object a desired object would take over.
  private func untrackedObject(_ object: JSONValue, key: ObjectKey) async throws -> JSONValue? {
    let resource = try await client.resource(
      apiVersion: object["apiVersion"]?.stringValue ?? "v1", kind: key.kind)
    return try await client.getIfPresent(
      resource, namespace: key.namespace.isEmpty ? nil : key.namespace, name: key.name)
  }

  /// The images some rendered object refers to (by reference text).
  func imagesNeeded(by desired: DesiredState) -> [ImageBinding] {
    let texts = desired.objects.map { String(decoding: KubeJSON.encode($0.object), as: UTF8.self) }
    return desired.images.filter { image in
      let base = image.registry.map { "\($0)/\(image.repository)" } ?? image.repository
      return texts.contains { $0.contains(base) }
    }
  }

  /// A server-side dry-run apply: the object as the server would store it, and the fields the apply
  /// would take from other managers (from the unforced attempt's conflict answer).
  func dryRunApply(_ object: JSONValue) async throws -> (JSONValue, [String]) {
    do {
      let result = try await client.apply(
        object, fieldManager: Self.fieldManager, force: false, dryRun: true)
      return (result.object, [])
    } catch let error as KubeError where error.isConflict {
      let taken = (error.status?.details?.causes ?? []).map { cause in
        [cause.field, cause.message].compactMap { $0 }.joined(separator: ": ")
      }
      let result = try await client.apply(
        object, fieldManager: Self.fieldManager, force: true, dryRun: true)
      return (result.object, taken)
    }
  }

  /// The API's message without the request line, for people.
  static func message(_ error: any Error) -> String {
    if let error = error as? KubeError, let status = error.status, !status.message.isEmpty {
      return error.isForbidden
        ? status.message + "; " + KubeError.forbiddenHint
        : status.message
    }
    return "\(error)"
  }
}
