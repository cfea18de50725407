import Environments
import Foundation

/// When an environment's schedule wants it awake: on the listed days, from `wake` to `sleep`, local
/// time in the schedule's time zone. A `sleep` earlier than `wake` runs past midnight (awake from
/// `wake` on a listed day until `sleep` the next morning).
public struct ShutdownScheduleClock: Sendable {
  public let timeZone: TimeZone
  /// Awake days, as Calendar weekdays (1 = Sunday ... 7 = Saturday).
  public let days: Set<Int>
  /// Minutes after local midnight.
  public let wakeMinute: Int
  public let sleepMinute: Int

  private static let dayNames = [
    "Sun": 1, "Mon": 2, "Tue": 3, "Wed": 4, "Thu": 5, "Fri": 6, "Sat": 7,
  ]

  /// Validates the schedule from the environment file.
  public init(_ schedule: ShutdownSchedule) throws(DeliveryError) {
    guard let zone = TimeZone(identifier: schedule.timezone) else {
      throw .invalidSchedule(
        field: "spec.schedule.timezone", value: schedule.timezone,
        expected: "an IANA time zone such as Asia/Seoul")
    }
    var days: Set<Int> = []
    for day in schedule.days {
      guard let weekday = Self.dayNames[day] else {
        throw .invalidSchedule(field: "spec.schedule.days", value: day, expected: "Mon ... Sun")
      }
      days.insert(weekday)
    }
    timeZone = zone
    self.days = days
    wakeMinute = try Self.minute(schedule.wake, field: "spec.schedule.wake")
    sleepMinute = try Self.minute(schedule.sleep, field: "spec.schedule.sleep")
  }

  private static func minute(_ text: String, field: String) throws(DeliveryError) -> Int {
    let parts = text.split(separator: ":")
    guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
      (0..<24).contains(hour), (0..<60).contains(minute)
    else { throw .invalidSchedule(field: field, value: text, expected: "HH:MM (24-hour)") }
    return hour * 60 + minute
  }

  /// Whether the schedule wants the environment awake at `date`.
  public func isAwake(at date: Date) -> Bool {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
    let weekday = parts.weekday ?? 1
    let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    if wakeMinute < sleepMinute {
      return days.contains(weekday) && minute >= wakeMinute && minute < sleepMinute
    }
    let yesterday = weekday == 1 ? 7 : weekday - 1
    return (days.contains(weekday) && minute >= wakeMinute)
      || (days.contains(yesterday) && minute < sleepMinute)
  }

  /// `awake` or `asleep`, the phase the marker records.
  public func phase(at date: Date) -> String { isAwake(at: date) ? "awake" : "asleep" }
}
