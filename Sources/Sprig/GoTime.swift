import Foundation
import GoTemplate

/// A Go `time.Time`: an instant (Unix seconds and nanoseconds) seen in a location.
struct GoTime: Sendable {
  var seconds: Int64
  var nanoseconds: Int
  var location: GoLocation
  /// Seconds since the process's monotonic clock origin, for values from `now` (Go prints it as
  /// `m=+0.001`).
  var monotonic: Double?

  /// Go's zero time, 0001-01-01 00:00:00 UTC, which failed parses return.
  static let zero = GoTime(seconds: -62_135_596_800, nanoseconds: 0, location: .utc)

  init(seconds: Int64, nanoseconds: Int = 0, location: GoLocation, monotonic: Double? = nil) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
    self.location = location
    self.monotonic = monotonic
  }

  private static let processStart = Date()

  /// `time.Now()` in the local location.
  static func now() -> GoTime {
    let date = Date()
    let interval = date.timeIntervalSince1970
    let seconds = Int64(interval.rounded(.down))
    return GoTime(
      seconds: seconds, nanoseconds: Int((interval - Double(seconds)) * 1e9), location: .local,
      monotonic: date.timeIntervalSince(processStart))
  }

  /// The same instant in another location.
  func `in`(_ location: GoLocation) -> GoTime {
    GoTime(seconds: seconds, nanoseconds: nanoseconds, location: location)
  }

  /// The instant shifted by a duration in nanoseconds.
  func adding(nanoseconds duration: Int64) -> GoTime {
    let total = Int64(nanoseconds) + duration % 1_000_000_000
    var seconds = self.seconds &+ duration / 1_000_000_000 &+ total / 1_000_000_000
    var nanos = total % 1_000_000_000
    if nanos < 0 {
      nanos += 1_000_000_000
      seconds -= 1
    }
    return GoTime(
      seconds: seconds, nanoseconds: Int(nanos), location: location, monotonic: monotonic)
  }

  /// The zone in force at this instant.
  var zone: GoLocation.Zone { location.zone(at: seconds) }

  /// The wall-clock fields in this time's location.
  var civil: CivilTime { CivilTime(unixSeconds: seconds &+ Int64(zone.offset)) }

  /// `Time.String()`.
  var description: String {
    var text = GoTimeLayout.format(self, layout: "2006-01-02 15:04:05.999999999 -0700 MST")
    if let monotonic {
      let nanos = Int64((monotonic * 1e9).rounded())
      text +=
        " m=" + (nanos < 0 ? "-" : "+") + "\(abs(nanos) / 1_000_000_000)."
        + String(format: "%09lld", abs(nanos) % 1_000_000_000)
    }
    return text
  }
}

/// Calendar fields of a wall-clock time in the proleptic Gregorian calendar, as Go computes
/// them (Foundation's calendar switches to Julian before 1582).
struct CivilTime {
  var year: Int
  var month: Int
  var day: Int
  var hour: Int
  var minute: Int
  var second: Int
  /// Sunday is 0.
  var weekday: Int
  /// 1 for January 1st.
  var yearDay: Int

  init(unixSeconds: Int64) {
    var days = unixSeconds / 86_400
    var secondOfDay = unixSeconds % 86_400
    if secondOfDay < 0 {
      secondOfDay += 86_400
      days -= 1
    }
    hour = Int(secondOfDay / 3600)
    minute = Int(secondOfDay % 3600 / 60)
    second = Int(secondOfDay % 60)
    weekday = Int(((days % 7) + 11) % 7)
    (year, month, day) = CivilTime.date(fromDays: days)
    yearDay = Int(days - CivilTime.days(year: year, month: 1, day: 1)) + 1
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm); months
  /// and days outside their ranges carry over, as Go's `time.Date` normalizes them.
  static func days(year: Int, month: Int, day: Int) -> Int64 {
    var year = Int64(year)
    var month = Int64(month) - 1
    year &+= month >= 0 ? month / 12 : (month - 11) / 12
    month = ((month % 12) + 12) % 12 + 1
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era &* 146_097 &+ dayOfEra &- 719_468 &+ Int64(day) &- 1
  }

  static func date(fromDays days: Int64) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (Int(year), Int(month), Int(day))
  }

  static func isLeap(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// The `time.Time` value templates see: prints as Go prints it, encodes to JSON as RFC 3339,
/// and has the common methods (`.Unix`, `.UnixNano`, `.UnixMilli`, `.Format`, `.UTC`, `.Local`,
/// `.Year`, `.Month`, `.Day`, `.Hour`, `.Minute`, `.Second`, `.Nanosecond`, `.YearDay`,
/// `.Weekday`, `.IsZero`, `.String`, `.Add`, `.AddDate`, `.Before`, `.After`, `.Equal`).
/// `.Month` and `.Weekday` return their names as strings (Go returns named integer types).
struct GoTimeObject: TemplateObject, GoJSONEncodable {
  let time: GoTime

  var typeName: String { "time.Time" }
  var printed: String { time.description }
  var jsonValue: TemplateValue {
    .string(GoTimeLayout.format(time, layout: "2006-01-02T15:04:05.999999999Z07:00"))
  }

  func field(named name: String) -> TemplateValue? { nil }

  func method(named name: String) -> TemplateFunction? {
    let time = self.time
    func constant(_ value: @autoclosure @escaping @Sendable () -> TemplateValue) -> TemplateFunction
    {
      TemplateFunction(arity: .exactly(0)) { _, _ in value() }
    }
    func comparing(_ body: @escaping @Sendable (GoTime) -> Bool) -> TemplateFunction {
      TemplateFunction(arity: .exactly(1)) { arguments, _ in
        guard case .object(let object) = arguments[0], let other = object as? GoTimeObject else {
          throw wrongType(arguments[0], expected: "time.Time")
        }
        return .bool(body(other.time))
      }
    }
    let civil = time.civil
    switch name {
    case "Unix": return constant(.int(Int(time.seconds)))
    case "UnixMilli":
      return constant(.int(Int(time.seconds) &* 1000 &+ time.nanoseconds / 1_000_000))
    case "UnixNano": return constant(.int(Int(time.seconds) &* 1_000_000_000 &+ time.nanoseconds))
    case "UTC": return constant(.object(GoTimeObject(time: time.in(.utc))))
    case "Local": return constant(.object(GoTimeObject(time: time.in(.local))))
    case "Year": return constant(.int(civil.year))
    case "Month": return constant(.string(GoTimeLayout.longMonths[civil.month - 1]))
    case "Day": return constant(.int(civil.day))
    case "Hour": return constant(.int(civil.hour))
    case "Minute": return constant(.int(civil.minute))
    case "Second": return constant(.int(civil.second))
    case "Nanosecond": return constant(.int(time.nanoseconds))
    case "YearDay": return constant(.int(civil.yearDay))
    case "Weekday": return constant(.string(GoTimeLayout.longDays[civil.weekday]))
    case "IsZero":
      return constant(.bool(time.seconds == GoTime.zero.seconds && time.nanoseconds == 0))
    case "String": return constant(.string(time.description))
    case "Format":
      return TemplateFunction(arity: .exactly(1)) { arguments, _ in
        .string(GoTimeLayout.format(time, layout: try arguments.string(0)))
      }
    case "Add":
      return TemplateFunction(arity: .exactly(1)) { arguments, _ in
        .object(GoTimeObject(time: time.adding(nanoseconds: Int64(try arguments.int(0)))))
      }
    case "AddDate":
      return TemplateFunction(arity: .exactly(3)) { arguments, _ in
        let (years, months, days) = (
          try arguments.int(0), try arguments.int(1), try arguments.int(2)
        )
        let shifted = GoTimeLayout.date(
          year: civil.year + years, month: civil.month + months, day: civil.day + days,
          hour: civil.hour, minute: civil.minute, second: civil.second,
          nanosecond: time.nanoseconds, location: time.location)
        return .object(GoTimeObject(time: shifted))
      }
    case "Before":
      return comparing { (time.seconds, time.nanoseconds) < ($0.seconds, $0.nanoseconds) }
    case "After":
      return comparing { (time.seconds, time.nanoseconds) > ($0.seconds, $0.nanoseconds) }
    case "Equal":
      return comparing { time.seconds == $0.seconds && time.nanoseconds == $0.nanoseconds }
    default: return nil
    }
  }
}
