import Environments
import Foundation
import Kube
import Logging
import YAML

/// Writes core/v1 Events on the environment's objects, as Argo CD does on its Applications
/// (`kubectl describe deployment user-service` and `kubectl get events` show what the controller
/// did and why it failed). An Event that cannot be written is logged, never a failure of the sync.
public struct KubeEventRecorder: Sendable {
  public enum EventType: String, Sendable {
    case normal = "Normal"
    case warning = "Warning"
  }

  public let client: KubeClient
  /// `reportingInstance`: this replica (the pod name in the cluster).
  public let instance: String
  public let logger: Logger
  public static let component = "tripgen-controller"

  public init(client: KubeClient, instance: String, logger: Logger) {
    self.client = client
    self.instance = instance
    self.logger = logger
  }

  /// Records an Event about `object` (a live object: its uid links the Event to it).
  public func record(
    _ type: EventType, reason: String, message: String, about object: JSONValue,
    now: Date = Date()
  ) async {
    guard let key = ObjectKey(object: object) else { return }
    let namespace = key.namespace.isEmpty ? client.configuration.namespace : key.namespace
    let stamp = now.formatted(.iso8601)
    let suffix = String(UInt64(now.timeIntervalSince1970 * 1e9), radix: 16)
    var involved: JSONValue = [
      "apiVersion": object["apiVersion"] ?? "v1", "kind": .string(key.kind),
      "name": .string(key.name),
    ]
    if !key.namespace.isEmpty { involved.set(["namespace"], .string(key.namespace)) }
    if let uid = object["metadata"]?["uid"] { involved.set(["uid"], uid) }
    if let version = object["metadata"]?["resourceVersion"] {
      involved.set(["resourceVersion"], version)
    }
    let event: JSONValue = [
      "apiVersion": "v1", "kind": "Event",
      "metadata": [
        "name": .string("\(key.name).\(suffix)"), "namespace": .string(namespace),
      ],
      "involvedObject": involved,
      "reason": .string(reason),
      // The API limits messages to 1 KiB.
      "message": .string(String(message.prefix(1024))),
      "type": .string(type.rawValue),
      "source": ["component": .string(Self.component)],
      "reportingComponent": .string(Self.component),
      "reportingInstance": .string(instance),
      "firstTimestamp": .string(stamp),
      "lastTimestamp": .string(stamp),
      "count": 1,
    ]
    do {
      _ = try await client.create(event)
    } catch {
      if Task.isCancelled { return }
      logger.warning(
        "could not record an event", metadata: ["reason": "\(reason)", "error": "\(error)"])
    }
  }
}
