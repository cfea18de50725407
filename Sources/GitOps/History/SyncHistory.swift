import Environments
import Foundation
import Kube
import YAML

/// One recorded sync.
public struct SyncHistoryEntry: Sendable, Codable, Equatable {
  /// Increasing per environment; what `tripgen rollback ID` names.
  public var id: Int
  public var revision: String
  /// The image bindings the sync applied (digests), so a rollback renders exactly the same objects.
  public var images: [ImageBinding]
  /// `Succeeded`, `Failed` or `Cancelled`.
  public var result: String
  /// The error, for a failed or cancelled sync.
  public var message: String?
  /// ISO 8601 times.
  public var startedAt: String
  public var finishedAt: String
  /// Who or what started it (`manual`, `controller`, `rollback to #3`).
  public var trigger: String

  public init(
    id: Int, revision: String, images: [ImageBinding], result: String, message: String?,
    startedAt: String, finishedAt: String, trigger: String
  ) {
    self.id = id
    self.revision = revision
    self.images = images
    self.result = result
    self.message = message
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.trigger = trigger
  }
}

/// The environment's sync history, kept in the cluster so any machine can read it and roll back: a
/// ConfigMap `tripgen-history-<env>` in the environment's namespace whose `history.json` holds the
/// last ``limit`` entries, newest last.
public struct SyncHistory: Sendable {
  public static let limit = 10
  public static let dataKey = "history.json"
  public static let environmentLabel = "tripgen.io/history-of"
  /// The results an entry records.
  public static let succeeded = "Succeeded"
  public static let failed = "Failed"
  public static let cancelled = "Cancelled"

  public let client: KubeClient
  public let environment: String
  public let namespace: String

  public init(client: KubeClient, environment: String, namespace: String) {
    self.client = client
    self.environment = environment
    self.namespace = namespace
  }

  public var name: String { "tripgen-history-\(environment)" }

  /// The entries, oldest first (empty when none was recorded).
  public func entries() async throws -> [SyncHistoryEntry] {
    try decode(try await stored())
  }

  /// The ConfigMap as stored, or nil.
  private func stored() async throws -> JSONValue? {
    let resource = try await client.resource(apiVersion: "v1", kind: "ConfigMap")
    return try await client.getIfPresent(resource, namespace: namespace, name: name)
  }

  private func decode(_ object: JSONValue?) throws -> [SyncHistoryEntry] {
    guard let text = object?["data"]?[Self.dataKey]?.stringValue else { return [] }
    do {
      return try JSONDecoder().decode([SyncHistoryEntry].self, from: Data(text.utf8))
    } catch {
      throw GitOpsError.corruptRecord(
        object: "ConfigMap \(namespace)/\(name)", message: "\(Self.dataKey): \(error)")
    }
  }

  /// The entry with `id`.
  public func entry(_ id: Int) async throws -> SyncHistoryEntry {
    let all = try await entries()
    guard let found = all.first(where: { $0.id == id }) else {
      throw GitOpsError.historyEntryNotFound(id: id, environment: environment, known: all.map(\.id))
    }
    return found
  }

  /// Appends an entry (its id is the next one), keeping the last ``limit``; returns the id.
  ///
  /// Read, append, write with the read resourceVersion (create when absent): when the controller
  /// and a person record at the same moment, the second write conflicts and is redone on the new
  /// list, so no entry is lost and no id is given twice.
  @discardableResult
  public func record(
    revision: String, images: [ImageBinding], result: String, message: String?, startedAt: Date,
    finishedAt: Date, trigger: String
  ) async throws -> Int {
    // FoundationEssentials' ISO 8601 style: the legacy ISO8601DateFormatter loads ICU's data
    // (megabytes of resident memory for one timestamp).
    let format = Date.ISO8601FormatStyle()
    var attempt = 0
    while true {
      attempt += 1
      let current = try await stored()
      var all = try decode(current)
      let id = (all.last?.id ?? 0) + 1
      all.append(
        SyncHistoryEntry(
          id: id, revision: revision, images: images, result: result, message: message,
          startedAt: format.format(startedAt), finishedAt: format.format(finishedAt),
          trigger: trigger))
      all = Array(all.suffix(Self.limit))
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let text = String(decoding: try encoder.encode(all), as: UTF8.self)
      var object: JSONValue = [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": [
          "name": .string(name), "namespace": .string(namespace),
          "labels": [
            "app.kubernetes.io/managed-by": "tripgen",
            "tripgen.io/history-of": .string(environment),
          ],
        ],
        "data": ["history.json": .string(text)],
      ]
      do {
        if let version = current?["metadata"]?["resourceVersion"] {
          object.set(["metadata", "resourceVersion"], version)
          _ = try await client.update(object, fieldManager: GitOpsEngine.fieldManager)
        } else {
          _ = try await client.create(object, fieldManager: GitOpsEngine.fieldManager)
        }
        return id
      } catch let error as KubeError where error.isConflict && attempt < 5 {
        continue
      }
    }
  }
}
