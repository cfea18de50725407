import Environments
import Foundation
import Helm
import YAML

/// Where an object sits in a sync: phase, then wave, then Helm's install order by kind, then name.
/// Prune runs after the last wave in the reverse of this order.
public struct SyncOrder: Sendable, Hashable, Comparable, Codable {
  public var phase: SyncPhase
  /// The sync wave (`tripgen.io/sync-wave`, `argocd.argoproj.io/sync-wave`; a hook's
  /// `helm.sh/hook-weight` when it names no wave). Lower waves go first; negative waves are allowed.
  public var wave: Int
  /// The kind's position in Helm's install order (unknown kinds after every known one).
  public var kindRank: Int
  public var kind: String
  public var name: String

  public static func < (lhs: SyncOrder, rhs: SyncOrder) -> Bool {
    (lhs.phase, lhs.wave, lhs.kindRank, lhs.kind, lhs.name)
      < (rhs.phase, rhs.wave, rhs.kindRank, rhs.kind, rhs.name)
  }
}

/// Reads the sync annotations of rendered objects.
public enum SyncAnnotations {
  public static let wave = "tripgen.io/sync-wave"
  public static let argoWave = "argocd.argoproj.io/sync-wave"
  public static let argoHook = "argocd.argoproj.io/hook"
  public static let argoHookDeletePolicy = "argocd.argoproj.io/hook-delete-policy"
  public static let helmHook = "helm.sh/hook"
  public static let helmHookWeight = "helm.sh/hook-weight"
  public static let helmHookDeletePolicy = "helm.sh/hook-delete-policy"

  /// How a rendered object takes part in a sync.
  public enum Role: Sendable, Equatable {
    /// An ordinary object: applied in the Sync phase, diffed, pruned when it leaves.
    case resource
    /// A hook run in a phase, created anew on every sync that changes something.
    case hook(HookSpec)
    /// A hook for an event a sync never fires (Helm tests, delete and rollback hooks): not applied.
    case skipped(reason: String)
  }

  /// The object's role; `source` names the template in errors.
  public static func role(of object: JSONValue, source: String) throws(GitOpsError) -> Role {
    let annotations = object["metadata"]?["annotations"]
    if let argo = annotations?[argoHook]?.stringValue {
      let names = list(argo)
      if names.contains("Skip") { return .skipped(reason: "\(argoHook): Skip") }
      let phases = names.compactMap { SyncPhase(rawValue: $0) }
      guard let phase = phases.first else {
        throw .invalidAnnotation(
          source: source, annotation: argoHook, value: argo,
          expected: "PreSync, Sync, PostSync or Skip")
      }
      return .hook(
        HookSpec(
          phase: phase,
          deletePolicies: try policies(
            annotations?[argoHookDeletePolicy]?.stringValue
              ?? annotations?[helmHookDeletePolicy]?.stringValue,
            source: source)))
    }
    guard let helm = annotations?[helmHook]?.stringValue else { return .resource }
    let events = Set(list(helm))
    let phase: SyncPhase
    if !events.isDisjoint(with: ["pre-install", "pre-upgrade"]) {
      phase = .preSync
    } else if !events.isDisjoint(with: ["post-install", "post-upgrade"]) {
      phase = .postSync
    } else if events.contains("crd-install") {
      // Helm 2's CRD hook: Helm 3 and Argo CD install it as an ordinary object.
      return .resource
    } else {
      return .skipped(reason: "\(helmHook): \(helm) (not an install or upgrade event)")
    }
    return .hook(
      HookSpec(
        phase: phase,
        deletePolicies: try policies(
          annotations?[helmHookDeletePolicy]?.stringValue, source: source)))
  }

  /// The object's wave: the sync-wave annotations, else a hook's weight, else 0.
  public static func wave(of object: JSONValue, isHook: Bool, source: String) throws(GitOpsError)
    -> Int
  {
    let annotations = object["metadata"]?["annotations"]
    var names = [wave, argoWave]
    if isHook { names.append(helmHookWeight) }
    for name in names {
      guard let text = annotations?[name]?.stringValue else { continue }
      guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw .invalidAnnotation(
          source: source, annotation: name, value: text, expected: "an integer")
      }
      return value
    }
    return 0
  }

  /// The order key of an object in a phase.
  public static func order(key: ObjectKey, phase: SyncPhase, wave: Int) -> SyncOrder {
    SyncOrder(
      phase: phase, wave: wave, kindRank: kindRanks[key.kind] ?? kindRanks.count, kind: key.kind,
      name: key.name)
  }

  private static let kindRanks: [String: Int] = Dictionary(
    uniqueKeysWithValues: ManifestSorter.installOrder.enumerated().map { ($1, $0) })

  private static func list(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty
    }
  }

  private static func policies(_ text: String?, source: String) throws(GitOpsError) -> Set<
    HookDeletePolicy
  > {
    // Helm deletes a hook's previous object before creating it again when no policy is given.
    guard let text else { return [.beforeHookCreation] }
    var result: Set<HookDeletePolicy> = []
    for name in list(text) {
      // Argo CD spells them HookSucceeded, HookFailed, BeforeHookCreation.
      let normalized =
        switch name {
        case "HookSucceeded": "hook-succeeded"
        case "HookFailed": "hook-failed"
        case "BeforeHookCreation": "before-hook-creation"
        default: name
        }
      guard let policy = HookDeletePolicy(rawValue: normalized) else {
        throw .invalidAnnotation(
          source: source, annotation: helmHookDeletePolicy, value: text,
          expected: "before-hook-creation, hook-succeeded or hook-failed")
      }
      result.insert(policy)
    }
    return result
  }
}
