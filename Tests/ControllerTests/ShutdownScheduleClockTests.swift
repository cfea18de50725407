import Controller
import Delivery
import Environments
import Foundation
import Testing
import YAML

@Suite struct ShutdownScheduleClockTests {
  static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

  /// The schedule as the environment file spells it (the type has no memberwise initializer).
  static func schedule(_ timezone: String, _ days: [String], wake: String, sleep: String)
    throws -> ShutdownSchedule
  {
    let text = """
      {timezone: "\(timezone)", days: [\(days.map { "\"\($0)\"" }.joined(separator: ", "))], \
      wake: "\(wake)", sleep: "\(sleep)"}
      """
    return try YAMLDecoder().decode(ShutdownSchedule.self, from: Array(text.utf8), file: "test")
  }

  @Test func theSeedsScheduleInSeoul() throws {
    let clock = try ShutdownScheduleClock(
      try Self.schedule(
        "Asia/Seoul", ["Mon", "Tue", "Wed", "Thu", "Fri"], wake: "08:00", sleep: "20:00"))
    // 2026-11-25 is a Wednesday; Seoul is UTC+9 with no daylight saving.
    #expect(!clock.isAwake(at: Self.date("2026-11-24T22:59:00Z")))  // Wed 07:59
    #expect(clock.isAwake(at: Self.date("2026-11-24T23:00:00Z")))  // Wed 08:00
    #expect(clock.isAwake(at: Self.date("2026-11-25T10:59:00Z")))  // Wed 19:59
    #expect(!clock.isAwake(at: Self.date("2026-11-25T11:00:00Z")))  // Wed 20:00
    #expect(!clock.isAwake(at: Self.date("2026-11-28T03:00:00Z")))  // Sat 12:00
    #expect(clock.phase(at: Self.date("2026-11-29T23:30:00Z")) == "awake")  // Mon 08:30
  }

  @Test func aSleepAfterMidnightBelongsToTheDayBefore() throws {
    let clock = try ShutdownScheduleClock(
      try Self.schedule("UTC", ["Fri"], wake: "18:00", sleep: "02:00"))
    #expect(clock.isAwake(at: Self.date("2026-11-27T19:00:00Z")))  // Fri 19:00
    #expect(clock.isAwake(at: Self.date("2026-11-28T01:59:00Z")))  // Sat 01:59
    #expect(!clock.isAwake(at: Self.date("2026-11-28T02:00:00Z")))
    #expect(!clock.isAwake(at: Self.date("2026-11-27T01:00:00Z")))  // Fri 01:00: Thu not listed
  }

  @Test func invalidSchedulesNameTheField() {
    #expect {
      try ShutdownScheduleClock(try Self.schedule("Mars/Base", [], wake: "08:00", sleep: "20:00"))
    } throws: { "\($0)".contains("spec.schedule.timezone") }
    #expect {
      try ShutdownScheduleClock(try Self.schedule("UTC", ["Funday"], wake: "08:00", sleep: "20:00"))
    } throws: { "\($0)".contains("spec.schedule.days") }
    #expect {
      try ShutdownScheduleClock(try Self.schedule("UTC", ["Mon"], wake: "8am", sleep: "20:00"))
    } throws: { "\($0)".contains("spec.schedule.wake") }
  }
}
