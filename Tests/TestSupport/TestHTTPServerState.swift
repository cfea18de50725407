import Synchronization

/// A route's handler and whether it wants request bodies in memory.
struct Route: Sendable {
  let collectsBody: Bool
  let handler: TestHTTPServer.Handler
}

/// What the server's connections share.
final class ServerState: Sendable {
  private struct Values {
    var routes: [String: Route] = [:]
    var requests: [TestHTTPServer.Request] = []
    var connections = 0
    var closedConnections = 0
    var shutDown = false
  }
  private let values = Mutex(Values())

  func connectionOpened() -> Int {
    values.withLock { values in
      values.connections += 1
      return values.connections
    }
  }

  func connectionTotal() -> Int { values.withLock { $0.connections } }

  func connectionClosed() { values.withLock { $0.closedConnections += 1 } }

  func closedConnectionTotal() -> Int { values.withLock { $0.closedConnections } }

  func markShutDown() -> Bool {
    values.withLock { values in
      defer { values.shutDown = true }
      return !values.shutDown
    }
  }

  func setRoute(method: String, path: String, _ route: Route) {
    values.withLock { $0.routes["\(method) \(path)"] = route }
  }

  func route(method: String, path: String) -> Route? {
    values.withLock { $0.routes["\(method) \(path)"] }
  }

  func record(_ request: TestHTTPServer.Request) {
    values.withLock { $0.requests.append(request) }
  }

  func recordedRequests() -> [TestHTTPServer.Request] { values.withLock { $0.requests } }
}
