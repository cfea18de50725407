import Collections
import Foundation
import YAML

/// One change, as a watch reports it.
struct KubeAPIServerWatchEvent {
  var resourceVersion: Int
  var storageKey: String
  var namespace: String?
  var type: String
  var object: JSONValue
  /// The object before a MODIFIED event, so a filtered watch can tell an object leaving its
  /// selector (reported as DELETED) from one entering it (ADDED).
  var old: JSONValue?
}

extension KubeAPIServer {
  /// Metadata the API sets on create: uid, creationTimestamp, generation, namespace.
  func newObjectMetadata(
    _ object: JSONValue, resource: KubeAPIServerResource, namespace: String?, state: inout State
  ) -> JSONValue {
    var metadata = object["metadata"]?.objectValue ?? [:]
    if resource.namespaced, let namespace { metadata["namespace"] = .string(namespace) }
    metadata["uid"] = .string(UUID().uuidString.lowercased())
    metadata["generation"] = 1
    metadata["creationTimestamp"] = .string(Self.timestamp())
    return object.setting("metadata", .object(metadata))
  }

  static func timestamp(_ date: Date = Date()) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  /// Stores (or, for DELETED, removes) an object under a new resourceVersion and tells watchers.
  @discardableResult
  func store(
    _ object: JSONValue, old: JSONValue?, resource: KubeAPIServerResource, type: String,
    state: inout State
  ) -> JSONValue {
    state.resourceVersion += 1
    let version = state.resourceVersion
    let stored = object.setting(["metadata", "resourceVersion"], .string(String(version)))
    let namespace = resource.namespaced ? stored["metadata"]?["namespace"]?.stringValue : nil
    let name = stored["metadata"]?["name"]?.stringValue ?? ""
    let key = Self.objectKey(namespace, name)
    if type == "DELETED" {
      state.objects[resource.storageKey]?[key] = nil
    } else {
      state.objects[resource.storageKey, default: [:]][key] = stored
    }
    let event = KubeAPIServerWatchEvent(
      resourceVersion: version, storageKey: resource.storageKey, namespace: namespace, type: type,
      object: stored, old: old)
    state.events.append(event)
    if state.events.count > options.watchHistory {
      let dropped = state.events.count - options.watchHistory
      state.compactedThrough = state.events[dropped - 1].resourceVersion
      state.events.removeFirst(dropped)
    }
    for (id, watcher) in state.watchers {
      if watcher.connection.isOpen { watcher.deliver(event) } else { state.watchers[id] = nil }
    }
    return stored
  }
}

/// One open watch: its filter, and the connection its events go to.
final class KubeAPIServerWatcher: @unchecked Sendable {
  let resource: KubeAPIServerResource
  let namespace: String?
  let labelSelector: KubeAPIServerLabelSelector?
  let fieldSelector: KubeAPIServerFieldSelector?
  let bookmarks: Bool
  let connection: KubeAPIServerWatchConnection

  init(
    resource: KubeAPIServerResource, namespace: String?,
    labelSelector: KubeAPIServerLabelSelector?, fieldSelector: KubeAPIServerFieldSelector?,
    bookmarks: Bool, connection: KubeAPIServerWatchConnection
  ) {
    self.resource = resource
    self.namespace = namespace
    self.labelSelector = labelSelector
    self.fieldSelector = fieldSelector
    self.bookmarks = bookmarks
    self.connection = connection
  }

  func matches(_ object: JSONValue?) -> Bool {
    guard let object else { return false }
    if let namespace, object["metadata"]?["namespace"]?.stringValue != namespace { return false }
    if let labelSelector, !labelSelector.matches(object.labels) { return false }
    if let fieldSelector, !fieldSelector.matches(object) { return false }
    return true
  }

  func deliver(_ event: KubeAPIServerWatchEvent) {
    guard event.storageKey == resource.storageKey else { return }
    let now = matches(event.object)
    let before = matches(event.old)
    switch event.type {
    case "MODIFIED" where now && !before: send(type: "ADDED", object: event.object)
    case "MODIFIED" where !now && before: send(type: "DELETED", object: event.object)
    default: if now { send(type: event.type, object: event.object) }
    }
  }

  func send(type: String, object: JSONValue) {
    var line = KubeAPIServerJSON.encode(["type": .string(type), "object": object])
    line.append(UInt8(ascii: "\n"))
    connection.write(line)
  }

  /// Ends the stream (nil tells the connection to finish and close).
  func close() { connection.write(nil) }
}
