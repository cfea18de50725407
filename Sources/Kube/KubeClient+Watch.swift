import Foundation
import YAML

/// One change a watch reports.
public enum KubeWatchEvent: Sendable, Equatable {
  case added(JSONValue)
  case modified(JSONValue)
  case deleted(JSONValue)
  /// The server has sent everything up to this resourceVersion (`allowWatchBookmarks`).
  case bookmark(resourceVersion: String)
  /// Every object of the collection at `resourceVersion`, replacing what came before: how a
  /// watch started without a resourceVersion reports the state it starts from, and how any
  /// watch reports the state again after it could not resume (410 Expired: the server no longer
  /// has the history). An object reported before and missing here was deleted meanwhile.
  case relisted(items: [JSONValue], resourceVersion: String)
}

/// Something a watch did on its own that its events do not show, for logs and tests.
public enum KubeWatchNotice: Sendable {
  /// The server refused a streaming list (or showed it does not serve one), for this reason;
  /// the watch lists and then watches instead, for the rest of its life.
  case watchListRefused(any Error)
  /// The server no longer has the history to resume from (410 Expired); the watch fetches the
  /// whole state again and reports it as `relisted`.
  case expired
  /// A request failed or a stream broke; the watch tries again after `delay`, this being the
  /// `failures`th failure in a row.
  case retrying(any Error, failures: Int, delay: Duration)
}

/// How long a watch waits after failures in a row before it tries again: `initial` doubling up
/// to `maximum`, as client-go's reflector backs off, each wait cut by a random part of up to
/// half so that clients that lost the server together do not all come back at the same instant.
public struct KubeBackoff: Sendable, Equatable {
  public var initial: Duration
  public var maximum: Duration

  public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(30)) {
    self.initial = initial
    self.maximum = maximum
  }

  /// The wait after `failures` (1 or more) failures in a row: between half and all of
  /// `min(initial × 2^(failures − 1), maximum)`.
  public func delay(afterFailures failures: Int) -> Duration {
    func seconds(_ duration: Duration) -> Double {
      Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    // In seconds as a Double, so that many failures in a row cannot overflow a Duration.
    let doublings = Double(min(max(failures - 1, 0), 1000))
    let full = min(seconds(initial) * pow(2, doublings), seconds(maximum))
    return .seconds(full * Double.random(in: 0.5...1))
  }
}

extension KubeClient {
  /// How long each watch response lasts over a transport that cannot stream.
  static let pollingWatchSeconds = 5

  /// How long the server keeps a streamed watch open before the client resumes it: between 5
  /// and 10 minutes, at random, as client-go does, so that a fleet of watchers does not
  /// reconnect in step.
  static func streamingWatchSeconds() -> Int { Int.random(in: 300...600) }

  /// Watches a collection, for as long as the sequence is iterated.
  ///
  /// What it reports: without `resourceVersion`, first one `relisted` with every object of the
  /// collection now, then `added`, `modified`, `deleted` (and `bookmark` when allowed) for each
  /// change after it. From a `resourceVersion`, the changes after that version. Whenever the
  /// server cannot resume from the last version seen (410 Expired), another `relisted` with the
  /// whole state, and changes again from there. So a consumer keeps a map from `relisted` and
  /// applies changes to it, and never misses a deletion.
  ///
  /// How it gets the state: as client-go's reflector does, first with a streaming list (a watch
  /// with `sendInitialEvents=true`, whose ADDED events up to the bookmark annotated
  /// `k8s.io/initial-events-end` make the `relisted`); where the server refuses that (422 on
  /// 1.27 to 1.31, an ERROR event from a 1.32+ server on etcd older than 3.5.13, any other error
  /// status but 401, 403 and 404, or a stream that ends or reports changes before that
  /// bookmark, which is how a server that ignores the parameter shows), with a paginated list and
  /// a watch from the list's resourceVersion, for the rest of the sequence's life.
  ///
  /// How long it lasts: until cancelled, or until an error no retry can fix: 401 (after one
  /// refresh of credentials that can be refreshed), 403, 404. Anything else (connection refused or reset, 5xx, a
  /// server down for minutes) is retried forever, after a wait from `backoff` that grows with
  /// failures in a row; a stream that delivered events or lasted a second resumes at once. Each
  /// watch request asks the server to end it after 5 to 10 minutes (`timeoutSeconds`, jittered)
  /// and is then resumed, so a connection that died silently is replaced; events decode as their
  /// lines complete, whatever the chunking. Over a transport that cannot stream, each request
  /// lasts 5 s and events arrive up to that late. `onNotice` hears of fallbacks, expiries and
  /// retries, which the events do not show.
  public func watch(
    _ resource: KubeAPIResource, namespace: String? = nil, allNamespaces: Bool = false,
    labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
    allowBookmarks: Bool = true, backoff: KubeBackoff = KubeBackoff(),
    onNotice: (@Sendable (KubeWatchNotice) -> Void)? = nil
  ) -> AsyncThrowingStream<KubeWatchEvent, any Error> {
    let target =
      allNamespaces ? nil : (resource.namespaced ? (namespace ?? configuration.namespace) : nil)
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: KubeWatchEvent.self)
    let loop = KubeWatchLoop(
      client: self, resource: resource, namespace: target, allNamespaces: allNamespaces,
      labelSelector: labelSelector, fieldSelector: fieldSelector, allowBookmarks: allowBookmarks,
      backoff: backoff, onNotice: onNotice, continuation: continuation,
      version: resourceVersion.flatMap { $0.isEmpty ? nil : $0 })
    let task = Task { await loop.run() }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }
}

/// The state of one watch sequence: where it is in the collection's history and how the server
/// has shown it wants to be watched. Only its own task touches it.
private final class KubeWatchLoop: @unchecked Sendable {
  let client: KubeClient
  let resource: KubeAPIResource
  let namespace: String?
  let allNamespaces: Bool
  let labelSelector: String?
  let fieldSelector: String?
  let allowBookmarks: Bool
  let backoff: KubeBackoff
  let onNotice: (@Sendable (KubeWatchNotice) -> Void)?
  let continuation: AsyncThrowingStream<KubeWatchEvent, any Error>.Continuation

  /// The last resourceVersion reported; nil when the state has to be fetched (again).
  var version: String?
  /// False once the server refused a streaming list.
  var streamsLists = true
  var failures = 0
  /// Whether the credentials were refreshed after a 401 since the last successful response.
  var refreshedCredentials = false
  /// The wait a 429 or 5xx answer asked for (`Retry-After`), for the next backoff.
  var retryAfter: Duration?

  /// Why a streaming list could not be used: the watch falls back to list and watch.
  struct WatchListRefused: Error { var reason: any Error }

  /// How a watch response ended without an error.
  enum End {
    /// The stream delivered something or stayed open a while: resume at once.
    case productive
    /// The stream closed at once with nothing: count it as a failure, so as not to spin.
    case empty
  }

  init(
    client: KubeClient, resource: KubeAPIResource, namespace: String?, allNamespaces: Bool,
    labelSelector: String?, fieldSelector: String?, allowBookmarks: Bool, backoff: KubeBackoff,
    onNotice: (@Sendable (KubeWatchNotice) -> Void)?,
    continuation: AsyncThrowingStream<KubeWatchEvent, any Error>.Continuation, version: String?
  ) {
    self.client = client
    self.resource = resource
    self.namespace = namespace
    self.allNamespaces = allNamespaces
    self.labelSelector = labelSelector
    self.fieldSelector = fieldSelector
    self.allowBookmarks = allowBookmarks
    self.backoff = backoff
    self.onNotice = onNotice
    self.continuation = continuation
    self.version = version
  }

  func run() async {
    while !Task.isCancelled {
      let resuming = version != nil
      do {
        if !resuming, !streamsLists {
          try await relist()
        } else if try await watchOnce() == .productive {
          failures = 0
        } else {
          try await wait(
            after: KubeError.transport(
              method: "GET", url: client.configuration.server + path,
              reason: "the server ended the watch at once, without an event"))
        }
      } catch is CancellationError {
        break
      } catch let refusal as WatchListRefused {
        streamsLists = false
        onNotice?(.watchListRefused(refusal.reason))
      } catch let error as KubeError where error.status?.code == 410 && resuming {
        // The history is gone: fetch the state again, at once.
        version = nil
        onNotice?(.expired)
      } catch let error as KubeError where Self.isPermanent(error) {
        continuation.finish(throwing: error)
        return
      } catch {
        do { try await wait(after: error) } catch { break }
      }
    }
    continuation.finish()
  }

  /// 401 (the credentials were refreshed already, or cannot be), 403 and 404 do not get better
  /// by asking again.
  static func isPermanent(_ error: KubeError) -> Bool {
    guard let code = error.status?.code else {
      if case .http(let code, _, _, _) = error { return [401, 403, 404].contains(code) }
      return false
    }
    return [401, 403, 404].contains(code)
  }

  /// Counts a failure, tells `onNotice`, and sleeps the backoff, or the server's Retry-After if
  /// longer (up to the backoff's maximum). Throws only when cancelled.
  func wait(after error: any Error) async throws {
    failures += 1
    var delay = backoff.delay(afterFailures: failures)
    if let retryAfter, retryAfter > delay { delay = min(retryAfter, backoff.maximum) }
    retryAfter = nil
    onNotice?(.retrying(error, failures: failures, delay: delay))
    try await Task.sleep(for: delay)
  }

  var path: String { resource.collectionPath(namespace: namespace) }

  /// Lists the collection page by page and reports it as the state to watch from.
  func relist() async throws {
    let fresh = try await client.listAll(
      resource, namespace: namespace, allNamespaces: allNamespaces, labelSelector: labelSelector,
      fieldSelector: fieldSelector)
    continuation.yield(.relisted(items: fresh.items, resourceVersion: fresh.resourceVersion))
    version = fresh.resourceVersion
    failures = 0
  }

  /// One watch request: from `version`, or without one a streaming list. Returns when the
  /// server ends the response; throws for an error status or ERROR event, a broken stream, or
  /// (as `WatchListRefused`) a streaming list the server does not serve.
  func watchOnce() async throws -> End {
    let streamingList = version == nil
    var query: [(String, String)] = [("watch", "1")]
    if streamingList {
      // client-go's watch-list request; the initial-events-end bookmark needs bookmarks on.
      query += [
        ("sendInitialEvents", "true"), ("resourceVersionMatch", "NotOlderThan"),
        ("allowWatchBookmarks", "true"),
      ]
    } else {
      query.append(("resourceVersion", version!))
      if allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
    }
    if let labelSelector { query.append(("labelSelector", labelSelector)) }
    if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
    let watchSeconds =
      client.transport.streamsResponses
      ? KubeClient.streamingWatchSeconds() : KubeClient.pollingWatchSeconds
    query.append(("timeoutSeconds", String(watchSeconds)))

    try await client.limiter.acquire()
    let request = try await client.prepare(
      method: "GET", path: path, query: query, body: nil, contentType: nil, timeout: nil)
    let clock = ContinuousClock()
    let started = clock.now
    let response = try await client.transport.stream(request)
    guard response.status == 200 else {
      var body: [UInt8] = []
      for try await chunk in response.body { body += chunk }
      let complete = KubeResponse(status: response.status, headers: response.headers, body: body)
      let error = KubeClient.error(for: complete, method: "GET", url: request.url)
      if response.status == 401, !refreshedCredentials, await client.credentials.invalidate() {
        refreshedCredentials = true
        return .productive
      }
      if streamingList, ![401, 403, 404].contains(response.status) {
        throw WatchListRefused(reason: error)
      }
      let asked = complete.header("Retry-After").flatMap {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      retryAfter = asked.map { Duration.seconds($0) }
      throw error
    }
    refreshedCredentials = false

    var initial = streamingList
    var collected: [JSONValue] = []
    var delivered = false
    var splitter = KubeWatchLineSplitter()
    for try await chunk in response.body {
      for line in splitter.lines(completedBy: chunk) {
        let event = try KubeJSON.decode(line)
        let type = event["type"]?.stringValue
        let object = event["object"] ?? .null
        let objectVersion = object["metadata"]?["resourceVersion"]?.stringValue
        if type == "ERROR" {
          let status =
            KubeAPIStatus(object)
            ?? KubeAPIStatus(code: 500, reason: "Unknown", message: "\(object)")
          if initial, status.code != 410 {
            throw WatchListRefused(reason: KubeError.watchFailed(status))
          }
          throw KubeError.watchFailed(status)
        }
        if initial {
          switch type {
          case "ADDED":
            collected.append(object)
          case "BOOKMARK":
            let annotation = object["metadata"]?["annotations"]?["k8s.io/initial-events-end"]
            // Other bookmarks may come first; only this one ends the initial state.
            guard annotation?.stringValue == "true", let objectVersion else { continue }
            continuation.yield(.relisted(items: collected, resourceVersion: objectVersion))
            collected = []
            version = objectVersion
            initial = false
            delivered = true
            failures = 0
          default:
            // A change before the initial state is complete: this is a plain watch from a
            // server that ignored sendInitialEvents, not a streaming list.
            throw WatchListRefused(
              reason: KubeError.decoding(
                url: request.url,
                reason: "a \(type ?? "typeless") event came before the initial-events-end bookmark"
              ))
          }
          continue
        }
        switch type {
        case "ADDED": continuation.yield(.added(object))
        case "MODIFIED": continuation.yield(.modified(object))
        case "DELETED": continuation.yield(.deleted(object))
        case "BOOKMARK":
          if allowBookmarks { continuation.yield(.bookmark(resourceVersion: objectVersion ?? "")) }
        default: continue
        }
        if let objectVersion { version = objectVersion }
        delivered = true
        failures = 0
      }
    }
    if initial {
      // The server ended the response without the bookmark that closes the initial state,
      // which a server serving streaming lists always sends first.
      throw WatchListRefused(
        reason: KubeError.decoding(
          url: request.url, reason: "the watch ended before the initial-events-end bookmark"))
    }
    // The server (or something between) closed the stream: resume where it stopped.
    return delivered || started.duration(to: clock.now) >= .seconds(1) ? .productive : .empty
  }
}
