/// How long a request may take before it fails with `HTTPError.timedOut`.
public struct HTTPTimeouts: Sendable, Equatable {
  /// A floor on transfer speed: the transfer fails when fewer than `bytesPerSecond` bytes per
  /// second move (in either direction) for `duration`. Catches stalled connections without
  /// limiting how long a large transfer may take.
  public struct LowSpeedLimit: Sendable, Equatable {
    public var bytesPerSecond: Int
    public var duration: Duration

    public init(bytesPerSecond: Int, duration: Duration) {
      self.bytesPerSecond = bytesPerSecond
      self.duration = duration
    }
  }

  /// Time to establish the connection, TLS handshake included. Nil waits as long as the
  /// operating system does.
  public var connect: Duration?
  /// Time for the whole request, redirects included, per attempt. Nil means no limit, which suits
  /// large transfers; `lowSpeed` still catches stalls.
  public var total: Duration?
  /// Minimum transfer speed; nil disables the check.
  public var lowSpeed: LowSpeedLimit?

  /// Connect within 30 s; no total limit; fail when less than 1 byte/s moves for 2 minutes
  /// (a dead peer behind a NAT, a stalled proxy). Requests that may legitimately stay silent
  /// longer (a Kubernetes watch, a long poll, a server digesting a large upload before it
  /// answers) pass `lowSpeed: nil` or a longer duration.
  public init(
    connect: Duration? = .seconds(30), total: Duration? = nil,
    lowSpeed: LowSpeedLimit? = LowSpeedLimit(bytesPerSecond: 1, duration: .seconds(120))
  ) {
    self.connect = connect
    self.total = total
    self.lowSpeed = lowSpeed
  }
}

extension Duration {
  /// Whole milliseconds, rounded up so that a short non-zero timeout never becomes 0 (which curl
  /// reads as "no timeout").
  var roundedUpMilliseconds: Int {
    let (seconds, attoseconds) = components
    let milliseconds =
      Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    return max(milliseconds, 1)
  }

  /// Whole seconds, rounded up, at least 1.
  var roundedUpSeconds: Int { (roundedUpMilliseconds + 999) / 1000 }

  /// "5 s", "1.5 s", "250 ms": for error messages.
  var spoken: String {
    let milliseconds = roundedUpMilliseconds
    if milliseconds < 1000 { return "\(milliseconds) ms" }
    if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
    let tenths = (milliseconds + 50) / 100
    return "\(tenths / 10).\(tenths % 10) s"
  }
}
