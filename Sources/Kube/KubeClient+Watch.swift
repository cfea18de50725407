import Foundation
import YAML

/// One change a watch reports.
public enum KubeWatchEvent: Sendable, Equatable {
  case added(JSONValue)
  case modified(JSONValue)
  case deleted(JSONValue)
  /// The server has sent everything up to this resourceVersion (`allowWatchBookmarks`).
  case bookmark(resourceVersion: String)
  /// The watch could not resume (410 Expired: the server no longer has the history), so the
  /// collection was listed again: these are all the objects now, replacing what came before.
  case relisted(items: [JSONValue], resourceVersion: String)
}

extension KubeClient {
  /// How long each watch response lasts over a transport that cannot stream.
  static let pollingWatchSeconds = 5

  /// How long the server keeps a streamed watch open before the client resumes it: between 5
  /// and 10 minutes, at random, as client-go does, so that a fleet of watchers does not
  /// reconnect in step.
  static func streamingWatchSeconds() -> Int { Int.random(in: 300...600) }

  /// Watches a collection from a resourceVersion (nil: the current objects arrive first as
  /// `added`). The sequence survives dropped connections (it resumes from the last
  /// resourceVersion seen) and `410 Expired` (it lists again and reports `relisted`). Each
  /// watch request asks the server to end it after 5 to 10 minutes (`timeoutSeconds`, jittered)
  /// and is then resumed, so a connection that died silently is replaced; events decode as
  /// their lines complete, whatever the chunking. Over a transport that cannot stream, each
  /// request lasts 5 s and events arrive up to that late. The sequence ends
  /// with an error after `maxReconnects` failed reconnections in a row, or when cancelled.
  public func watch(
    _ resource: KubeAPIResource, namespace: String? = nil, allNamespaces: Bool = false,
    labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
    allowBookmarks: Bool = true, maxReconnects: Int = 10
  ) -> AsyncThrowingStream<KubeWatchEvent, any Error> {
    let target =
      allNamespaces ? nil : (resource.namespaced ? (namespace ?? configuration.namespace) : nil)
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: KubeWatchEvent.self)
    let task = Task { [self] in
      var version = resourceVersion
      var failures = 0
      while !Task.isCancelled {
        var query: [(String, String)] = [("watch", "1")]
        if let version { query.append(("resourceVersion", version)) }
        if allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        let watchSeconds =
          transport.streamsResponses ? Self.streamingWatchSeconds() : Self.pollingWatchSeconds
        query.append(("timeoutSeconds", String(watchSeconds)))
        do {
          try await limiter.acquire()
          let request = try await prepare(
            method: "GET", path: resource.collectionPath(namespace: target), query: query,
            body: nil,
            contentType: nil, timeout: nil)
          let response = try await transport.stream(request)
          if response.status == 410 {
            throw KubeError.watchFailed(
              KubeAPIStatus(code: 410, reason: "Expired", message: "resource version too old"))
          }
          if response.status == 401, await credentials.invalidate(), failures == 0 {
            failures += 1
            continue
          }
          guard response.status == 200 else {
            var body: [UInt8] = []
            for try await chunk in response.body { body += chunk }
            throw Self.error(
              for: KubeResponse(status: response.status, headers: response.headers, body: body),
              method: "GET", url: request.url)
          }
          var splitter = KubeWatchLineSplitter()
          for try await chunk in response.body {
            for line in splitter.lines(completedBy: chunk) {
              let event = try KubeJSON.decode(line)
              let object = event["object"] ?? .null
              let objectVersion = object["metadata"]?["resourceVersion"]?.stringValue
              switch event["type"]?.stringValue {
              case "ADDED": continuation.yield(.added(object))
              case "MODIFIED": continuation.yield(.modified(object))
              case "DELETED": continuation.yield(.deleted(object))
              case "BOOKMARK": continuation.yield(.bookmark(resourceVersion: objectVersion ?? ""))
              case "ERROR":
                throw KubeError.watchFailed(
                  KubeAPIStatus(object)
                    ?? KubeAPIStatus(code: 500, reason: "Unknown", message: "\(object)"))
              default: continue
              }
              if let objectVersion { version = objectVersion }
              failures = 0
            }
          }
          // The server (or something between) closed the stream: resume where it stopped.
        } catch let error as KubeError where error.status?.code == 410 {
          do {
            let fresh = try await listAll(
              resource, namespace: target, allNamespaces: allNamespaces,
              labelSelector: labelSelector,
              fieldSelector: fieldSelector)
            continuation.yield(
              .relisted(items: fresh.items, resourceVersion: fresh.resourceVersion))
            version = fresh.resourceVersion
            continue
          } catch {
            continuation.finish(throwing: error)
            return
          }
        } catch is CancellationError {
          break
        } catch let error as KubeError
          where error.status.map({ [401, 403, 404].contains($0.code) }) ?? false
        {
          continuation.finish(throwing: error)
          return
        } catch {
          failures += 1
          if failures > maxReconnects {
            continuation.finish(throwing: error)
            return
          }
        }
        // Back off a little before reconnecting, more after repeated failures.
        let delay = failures == 0 ? 0.05 : min(0.2 * pow(2, Double(failures - 1)), 5)
        try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }
}
