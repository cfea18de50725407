import Collections
import Foundation
import YAML

/// Lists with selectors and pagination, and watches.
extension KubeAPIServer {
  private func selectors(_ request: KubeAPIServerRequest) throws(KubeAPIServerFailure) -> (
    KubeAPIServerLabelSelector?, KubeAPIServerFieldSelector?
  ) {
    let labels = try request.query["labelSelector"].flatMap { text throws(KubeAPIServerFailure) in
      text.isEmpty ? nil : try KubeAPIServerLabelSelector(parsing: text)
    }
    let fields = try request.query["fieldSelector"].flatMap { text throws(KubeAPIServerFailure) in
      text.isEmpty ? nil : try KubeAPIServerFieldSelector(parsing: text)
    }
    return (labels, fields)
  }

  func list(_ target: KubeAPIServerTarget, _ request: KubeAPIServerRequest)
    throws(KubeAPIServerFailure)
    -> JSONValue
  {
    if request.query["sendInitialEvents"] != nil {
      throw .invalidListOptions([
        .init(
          field: "sendInitialEvents", type: "FieldValueForbidden",
          body: "Forbidden: sendInitialEvents is forbidden for list")
      ])
    }
    let (labels, fields) = try selectors(request)
    var listVersion = state.resourceVersion
    var after: String?
    if let token = request.query["continue"], !token.isEmpty {
      guard let data = Data(base64Encoded: token),
        let decoded = try? KubeAPIServerJSON.decode(Array(data)),
        let version = decoded["rv"]?.intValue, let start = decoded["start"]?.stringValue
      else {
        throw .badRequest(
          "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        )
      }
      if version <= state.compactedThrough && !state.events.isEmpty
        && version < state.events[0].resourceVersion - 1
      {
        throw .expired(
          "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."
        )
      }
      listVersion = version
      after = start
    }
    let all = state.objects[target.resource.storageKey] ?? [:]
    var keys = all.keys.sorted()
    if let after { keys = keys.filter { $0 > after } }
    var items: [(String, JSONValue)] = []
    for key in keys {
      let object = all[key]!
      if let namespace = target.namespace,
        object["metadata"]?["namespace"]?.stringValue != namespace
      {
        continue
      }
      if let labels, !labels.matches(object.labels) { continue }
      if let fields, !fields.matches(object) { continue }
      items.append((key, object))
    }
    var metadata: OrderedDictionary<String, JSONValue> = [
      "resourceVersion": .string(String(listVersion))
    ]
    if let limitText = request.query["limit"], let limit = Int(limitText), limit > 0,
      items.count > limit
    {
      let remaining = items.count - limit
      items = Array(items.prefix(limit))
      let token: JSONValue = ["rv": .int(listVersion), "start": .string(items.last!.0)]
      metadata["continue"] = .string(Data(KubeAPIServerJSON.encode(token)).base64EncodedString())
      // The real server counts the rest only when no selector filters it.
      if labels == nil, fields == nil { metadata["remainingItemCount"] = .int(remaining) }
    }
    // Typed lists carry kind and apiVersion on the list only; custom resources keep them on items.
    let builtIn = KubeAPIServerResource.builtIn.contains(target.resource)
    return [
      "kind": .string(target.resource.kind + "List"),
      "apiVersion": .string(target.resource.apiVersion),
      "metadata": .object(metadata),
      "items": .array(
        items.map { builtIn ? $0.1.setting("kind", nil).setting("apiVersion", nil) : $0.1 }),
    ]
  }

  /// Refuses what `ListOptions` validation refuses for a watch: `sendInitialEvents` without
  /// `resourceVersionMatch=NotOlderThan` or, as on 1.27 to 1.31 where the WatchList feature gate
  /// is off by default, at all; `resourceVersionMatch` without `sendInitialEvents`.
  private func validateWatchOptions(_ request: KubeAPIServerRequest, sendInitialEvents: Bool?)
    throws(KubeAPIServerFailure)
  {
    var errors: [KubeAPIServerFailure.OptionError] = []
    let match = request.query["resourceVersionMatch"] ?? ""
    if sendInitialEvents != nil {
      if match != "NotOlderThan" {
        errors.append(
          .init(
            field: "resourceVersionMatch", type: "FieldValueForbidden",
            body:
              "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
          ))
      }
      if state.watchList == .featureGateDisabled {
        errors.append(
          .init(
            field: "sendInitialEvents", type: "FieldValueForbidden",
            body:
              "Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"
          ))
      }
    }
    if !match.isEmpty {
      if sendInitialEvents == nil {
        errors.append(
          .init(
            field: "resourceVersionMatch", type: "FieldValueForbidden",
            body:
              "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
          ))
      }
      if match != "NotOlderThan" {
        errors.append(
          .init(
            field: "resourceVersionMatch", type: "FieldValueNotSupported",
            body: "Unsupported value: \"\(match)\": supported values: \"NotOlderThan\""))
      }
    }
    if !errors.isEmpty { throw .invalidListOptions(errors) }
  }

  /// The message of a watch-list on an apiserver whose etcd (older than 3.5.13) cannot report
  /// watch progress, word for word.
  static let watchListStorageRefusal =
    "a watch stream was requested by the client but the required storage feature RequestWatchProgress is disabled"

  func watch(_ target: KubeAPIServerTarget, _ request: KubeAPIServerRequest)
    throws(KubeAPIServerFailure)
    -> KubeAPIServerReply
  {
    let (labels, fields) = try selectors(request)
    let sendInitialEvents = request.query["sendInitialEvents"].map {
      ["1", "t", "T", "true", "True", "TRUE"].contains($0)
    }
    try validateWatchOptions(request, sendInitialEvents: sendInitialEvents)
    let from = request.query["resourceVersion"].flatMap { $0.isEmpty || $0 == "0" ? nil : Int($0) }
    if let versionText = request.query["resourceVersion"], !versionText.isEmpty,
      Int(versionText) == nil
    {
      throw .badRequest("invalid resource version: \(versionText)")
    }
    let bookmarks = request.query["allowWatchBookmarks"] == "true"
    // The apiserver streams a list only when the client also takes bookmarks: the last one
    // marks the end of the initial events.
    let watchList = sendInitialEvents == true && bookmarks
    let refused = watchList && state.watchList == .refusedByStorage
    let timeout = request.query["timeoutSeconds"].flatMap(TimeInterval.init)
    return .watch(
      start: { [self] connection in
        lock.withLock {
          let watcher = KubeAPIServerWatcher(
            resource: target.resource, namespace: target.namespace, labelSelector: labels,
            fieldSelector: fields, bookmarks: bookmarks, connection: connection)
          if refused {
            // The watch cache answers 200 and then one ERROR event, not an error status.
            let failure = KubeAPIServerFailure(
              code: 500, reason: "InternalError", message: Self.watchListStorageRefusal)
            watcher.send(type: "ERROR", object: failure.status)
            watcher.close()
            return
          }
          if let sendInitialEvents {
            // With sendInitialEvents the resourceVersion is only a lower bound for the initial
            // state (NotOlderThan), which the current state always meets.
            if sendInitialEvents {
              sendCurrentObjects(to: watcher)
              if watchList {
                watcher.send(
                  type: "BOOKMARK",
                  object: [
                    "kind": .string(target.resource.kind),
                    "apiVersion": .string(target.resource.apiVersion),
                    "metadata": [
                      "resourceVersion": .string(String(state.resourceVersion)),
                      "annotations": ["k8s.io/initial-events-end": "true"],
                    ],
                  ])
              }
            }
          } else if let from {
            if from < state.compactedThrough {
              let failure = KubeAPIServerFailure.expired(
                "too old resource version: \(from) (\(state.compactedThrough + 1))")
              watcher.send(type: "ERROR", object: failure.status)
              watcher.close()
              return
            }
            for event in state.events where event.resourceVersion > from {
              watcher.deliver(event)
            }
          } else {
            sendCurrentObjects(to: watcher)
          }
          state.watchers[state.nextWatcherID] = watcher
          state.nextWatcherID += 1
        }
      }, timeout: timeout)
  }

  /// The current objects a watcher's filter matches, as ADDED events in key order.
  private func sendCurrentObjects(to watcher: KubeAPIServerWatcher) {
    let objects = state.objects[watcher.resource.storageKey] ?? [:]
    for key in objects.keys.sorted() where watcher.matches(objects[key]) {
      watcher.send(type: "ADDED", object: objects[key]!)
    }
  }
}
