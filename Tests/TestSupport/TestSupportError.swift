#if canImport(Glibc)
  import Glibc
#endif

/// Failures of the test support code itself (a tool missing, a server that would not start).
public enum TestSupportError: Error, CustomStringConvertible {
  case system(String, Int32)
  case toolFailed(command: String, status: Int32, output: String)
  case serverDidNotStart(String, log: String)

  public var description: String {
    switch self {
    case .system(let call, let code):
      return "\(call) failed: \(String(cString: strerror(code)))"
    case .toolFailed(let command, let status, let output):
      return "`\(command)` exited with status \(status): \(output)"
    case .serverDidNotStart(let what, let log):
      return "\(what) did not start (is it installed? run scripts/setup): \(log)"
    }
  }
}
