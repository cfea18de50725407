import Foundation

/// When and how long to wait before repeating a failed request.
///
/// A request is retried only when it is safe to repeat (`HTTPRequest.isSafeToRepeat`, idempotent
/// methods by default) and only after a failure a later attempt can cure: a connection error
/// (`HTTPError.isConnectionError`), 429 Too Many Requests, or a 5xx status other than 501 Not
/// Implemented and 505 HTTP Version Not Supported, which no retry changes. The wait grows
/// exponentially with "equal jitter" (between half and all of the exponential delay) so that
/// clients that failed together do not retry together; a `Retry-After` header (seconds or an
/// HTTP-date) replaces the computed wait, up to `maximumRetryAfter`.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts in all, the first included; 1 never retries.
  public var maximumAttempts: Int
  /// The wait before the second attempt, before jitter.
  public var initialBackoff: Duration
  /// The factor the wait grows by per attempt.
  public var multiplier: Double
  /// The longest computed wait.
  public var maximumBackoff: Duration
  /// The longest wait a server's `Retry-After` may impose; a longer one gives up instead.
  public var maximumRetryAfter: Duration

  public init(
    maximumAttempts: Int = 3, initialBackoff: Duration = .milliseconds(200),
    multiplier: Double = 2, maximumBackoff: Duration = .seconds(10),
    maximumRetryAfter: Duration = .seconds(60)
  ) {
    self.maximumAttempts = max(1, maximumAttempts)
    self.initialBackoff = initialBackoff
    self.multiplier = multiplier
    self.maximumBackoff = maximumBackoff
    self.maximumRetryAfter = maximumRetryAfter
  }

  /// Three attempts, 200 ms then 400 ms (each jittered), as the design document asks.
  public static let `default` = RetryPolicy()
  /// A single attempt.
  public static let never = RetryPolicy(maximumAttempts: 1)

  /// Whether a response with this status is worth another attempt.
  public static func isRetryable(status: Int) -> Bool {
    status == 429 || (500...599).contains(status) && status != 501 && status != 505
  }

  /// The jittered wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
  public func backoff(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator)
    -> Duration
  {
    let exponent = Double(max(0, attempt - 1))
    let uncapped = initialBackoff.seconds * pow(multiplier, exponent)
    let capped = min(uncapped, maximumBackoff.seconds)
    let jittered = Double.random(in: (capped / 2)...capped, using: &generator)
    return .milliseconds(Int((jittered * 1000).rounded()))
  }

  /// The wait a `Retry-After` value asks for: delay-seconds or an HTTP-date (RFC 9110,
  /// section 10.2.3), relative to `now`. Nil when the value is neither; zero for a past date.
  public static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    if let seconds = Int(trimmed) {
      return seconds >= 0 ? .seconds(seconds) : nil
    }
    guard let date = httpDate(trimmed) else { return nil }
    let interval = date.timeIntervalSince(now)
    return .milliseconds(Int(max(0, interval) * 1000))
  }

  /// Parses the three date formats RFC 9110 requires recipients to accept.
  static func httpDate(_ text: String) -> Date? {
    let formats = [
      "EEE, dd MMM yyyy HH:mm:ss zzz",  // IMF-fixdate
      "EEEE, dd-MMM-yy HH:mm:ss zzz",  // obsolete RFC 850
      "EEE MMM d HH:mm:ss yyyy",  // obsolete asctime
    ]
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    for format in formats {
      formatter.dateFormat = format
      if let date = formatter.date(from: text) { return date }
    }
    return nil
  }
}

extension Duration {
  var seconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}
