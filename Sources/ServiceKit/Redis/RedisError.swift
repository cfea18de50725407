/// Why a Redis command failed. Never contains the password.
public enum RedisError: Error, CustomStringConvertible, Equatable {
  /// The TCP connection could not be made or broke (hiredis's message).
  case connection(host: String, port: Int, reason: String)
  /// The server answered with an error reply (`-ERR ...`).
  case server(String)
  /// AUTH was refused: REDIS_PASSWORD is wrong or missing.
  case authentication(host: String, port: Int, reason: String)

  public var description: String {
    switch self {
    case .connection(let host, let port, let reason):
      return
        "redis \(host):\(port): \(reason) (check REDIS_HOST and REDIS_PORT, and that Redis runs)"
    case .server(let message): return "redis: \(message)"
    case .authentication(let host, let port, let reason):
      return "redis \(host):\(port): authentication failed: \(reason) (check REDIS_PASSWORD)"
    }
  }
}
