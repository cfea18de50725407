/// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): `Time.Format` and
/// `time.ParseInLocation`.
enum GoTimeLayout {
  static let longMonths = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
  static let longDays = [
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
  ]

  /// One element of a layout.
  enum Element: Equatable {
    case literal(String)
    case longMonth, month, numMonth, zeroMonth
    case longWeekDay, weekDay
    case day, underDay, zeroDay, underYearDay, zeroYearDay
    case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
    case longYear, year, pm, lowerPM, zoneName
    case iso8601(NumericZone)
    case numeric(NumericZone)
    /// Fractional seconds: separator, digit count, and whether trailing zeros are dropped.
    case fraction(Character, Int, trimmed: Bool)

    /// The source text of the element, for error messages.
    var text: String {
      switch self {
      case .literal(let text): return text
      case .longMonth: return "January"
      case .month: return "Jan"
      case .numMonth: return "1"
      case .zeroMonth: return "01"
      case .longWeekDay: return "Monday"
      case .weekDay: return "Mon"
      case .day: return "2"
      case .underDay: return "_2"
      case .zeroDay: return "02"
      case .underYearDay: return "__2"
      case .zeroYearDay: return "002"
      case .hour: return "15"
      case .hour12: return "3"
      case .zeroHour12: return "03"
      case .minute: return "4"
      case .zeroMinute: return "04"
      case .second: return "5"
      case .zeroSecond: return "05"
      case .longYear: return "2006"
      case .year: return "06"
      case .pm: return "PM"
      case .lowerPM: return "pm"
      case .zoneName: return "MST"
      case .iso8601(let zone): return "Z" + zone.rawValue
      case .numeric(let zone): return "-" + zone.rawValue
      case .fraction(let separator, let count, let trimmed):
        return String(separator) + String(repeating: trimmed ? "9" : "0", count: count)
      }
    }
  }

  /// The numeric zone forms after `-` or `Z`.
  enum NumericZone: String {
    case hhmmss = "070000"
    case colonSeconds = "07:00:00"
    case hhmm = "0700"
    case colon = "07:00"
    case hh = "07"
  }

  /// Splits a layout into elements as Go's `nextStdChunk` does.
  static func elements(_ layout: String) -> [Element] {
    let bytes = Array(layout.utf8)
    var elements: [Element] = []
    var literal: [UInt8] = []
    var index = 0
    func has(_ text: String, at position: Int) -> Bool {
      let pattern = Array(text.utf8)
      return position + pattern.count <= bytes.count
        && Array(bytes[position..<(position + pattern.count)]) == pattern
    }
    func startsLower(_ position: Int) -> Bool {
      position < bytes.count && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[position])
    }
    func isDigit(_ position: Int) -> Bool {
      position < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
    }
    while index < bytes.count {
      var element: Element?
      var length = 0
      switch bytes[index] {
      case UInt8(ascii: "J"):
        if has("January", at: index) {
          (element, length) = (.longMonth, 7)
        } else if has("Jan", at: index) && !startsLower(index + 3) {
          (element, length) = (.month, 3)
        }
      case UInt8(ascii: "M"):
        if has("Monday", at: index) {
          (element, length) = (.longWeekDay, 6)
        } else if has("Mon", at: index) && !startsLower(index + 3) {
          (element, length) = (.weekDay, 3)
        } else if has("MST", at: index) {
          (element, length) = (.zoneName, 3)
        }
      case UInt8(ascii: "0"):
        if index + 1 < bytes.count,
          (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[index + 1])
        {
          let table: [Element] = [
            .zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year,
          ]
          (element, length) = (table[Int(bytes[index + 1] - UInt8(ascii: "1"))], 2)
        } else if has("002", at: index) {
          (element, length) = (.zeroYearDay, 3)
        }
      case UInt8(ascii: "1"):
        (element, length) = has("15", at: index) ? (.hour, 2) : (.numMonth, 1)
      case UInt8(ascii: "2"):
        (element, length) = has("2006", at: index) ? (.longYear, 4) : (.day, 1)
      case UInt8(ascii: "_"):
        if has("_2", at: index) {
          if has("_2006", at: index) {
            // "_2006" is a literal underscore and a year.
            (element, length) = (.literal("_"), 1)
          } else {
            (element, length) = (.underDay, 2)
          }
        } else if has("__2", at: index) {
          (element, length) = (.underYearDay, 3)
        }
      case UInt8(ascii: "3"): (element, length) = (.hour12, 1)
      case UInt8(ascii: "4"): (element, length) = (.minute, 1)
      case UInt8(ascii: "5"): (element, length) = (.second, 1)
      case UInt8(ascii: "P"):
        if has("PM", at: index) { (element, length) = (.pm, 2) }
      case UInt8(ascii: "p"):
        if has("pm", at: index) { (element, length) = (.lowerPM, 2) }
      case UInt8(ascii: "-"), UInt8(ascii: "Z"):
        let iso = bytes[index] == UInt8(ascii: "Z")
        for zone in [NumericZone.hhmmss, .colonSeconds, .hhmm, .colon, .hh]
        where has(zone.rawValue, at: index + 1) {
          (element, length) = (iso ? .iso8601(zone) : .numeric(zone), zone.rawValue.utf8.count + 1)
          break
        }
      case UInt8(ascii: "."), UInt8(ascii: ","):
        if index + 1 < bytes.count,
          bytes[index + 1] == UInt8(ascii: "0") || bytes[index + 1] == UInt8(ascii: "9")
        {
          let digit = bytes[index + 1]
          var end = index + 1
          while end < bytes.count && bytes[end] == digit { end += 1 }
          if !isDigit(end) {
            let separator = Character(Unicode.Scalar(bytes[index]))
            (element, length) = (
              .fraction(separator, end - index - 1, trimmed: digit == UInt8(ascii: "9")),
              end - index
            )
          }
        }
      default:
        break
      }
      if let element {
        if !literal.isEmpty {
          elements.append(.literal(String(decoding: literal, as: UTF8.self)))
          literal = []
        }
        elements.append(element)
        index += length
      } else {
        literal.append(bytes[index])
        index += 1
      }
    }
    if !literal.isEmpty { elements.append(.literal(String(decoding: literal, as: UTF8.self))) }
    return elements
  }

  private static func padded(_ value: Int, _ width: Int, _ pad: Character = "0") -> String {
    let text = String(abs(value))
    let body = text.count < width ? String(repeating: pad, count: width - text.count) + text : text
    return value < 0 ? "-" + body : body
  }

  /// `Time.Format(layout)`.
  static func format(_ time: GoTime, layout: String) -> String {
    let zone = time.zone
    let civil = time.civil
    var output = ""
    for element in elements(layout) {
      switch element {
      case .literal(let text): output += text
      case .longMonth: output += longMonths[civil.month - 1]
      case .month: output += String(longMonths[civil.month - 1].prefix(3))
      case .numMonth: output += String(civil.month)
      case .zeroMonth: output += padded(civil.month, 2)
      case .longWeekDay: output += longDays[civil.weekday]
      case .weekDay: output += String(longDays[civil.weekday].prefix(3))
      case .day: output += String(civil.day)
      case .underDay: output += padded(civil.day, 2, " ")
      case .zeroDay: output += padded(civil.day, 2)
      case .underYearDay: output += padded(civil.yearDay, 3, " ")
      case .zeroYearDay: output += padded(civil.yearDay, 3)
      case .hour: output += padded(civil.hour, 2)
      case .hour12: output += String(civil.hour % 12 == 0 ? 12 : civil.hour % 12)
      case .zeroHour12: output += padded(civil.hour % 12 == 0 ? 12 : civil.hour % 12, 2)
      case .minute: output += String(civil.minute)
      case .zeroMinute: output += padded(civil.minute, 2)
      case .second: output += String(civil.second)
      case .zeroSecond: output += padded(civil.second, 2)
      case .longYear: output += padded(civil.year, 4)
      case .year: output += padded(((civil.year % 100) + 100) % 100, 2)
      case .pm: output += civil.hour >= 12 ? "PM" : "AM"
      case .lowerPM: output += civil.hour >= 12 ? "pm" : "am"
      case .zoneName:
        if !zone.name.isEmpty {
          output += zone.name
        } else {
          let minutes = zone.offset / 60
          output +=
            (minutes < 0 ? "-" : "+") + padded(abs(minutes) / 60, 2) + padded(abs(minutes) % 60, 2)
        }
      case .iso8601(let form):
        if zone.offset == 0 {
          output += "Z"
        } else {
          output += numericZone(zone.offset, form)
        }
      case .numeric(let form):
        output += numericZone(zone.offset, form)
      case .fraction(let separator, let count, let trimmed):
        let digits = padded(time.nanoseconds, 9)
        if trimmed {
          var kept = String(digits.prefix(count))
          while kept.hasSuffix("0") { kept.removeLast() }
          if !kept.isEmpty { output += String(separator) + kept }
        } else {
          output += String(separator) + digits.prefix(count)
        }
      }
    }
    return output
  }

  private static func numericZone(_ offset: Int, _ form: NumericZone) -> String {
    let sign = offset < 0 ? "-" : "+"
    let total = abs(offset)
    let hours = padded(total / 3600, 2)
    let minutes = padded(total / 60 % 60, 2)
    let seconds = padded(total % 60, 2)
    switch form {
    case .hh: return sign + hours
    case .hhmm: return sign + hours + minutes
    case .colon: return sign + hours + ":" + minutes
    case .hhmmss: return sign + hours + minutes + seconds
    case .colonSeconds: return sign + hours + ":" + minutes + ":" + seconds
    }
  }

  /// Go's `time.Date` in `location`: fields out of range carry over.
  static func date(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int,
    location: GoLocation
  ) -> GoTime {
    let days = CivilTime.days(year: year, month: month, day: day)
    // Wrapping: absurd fields (AddDate with huge years) must not trap.
    let wall =
      days &* 86_400 &+ Int64(hour) &* 3600 &+ Int64(minute) &* 60 &+ Int64(second)
      &+ Int64(nanosecond / 1_000_000_000)
    // Go looks the offset up at the wall time read as UTC, then corrects once.
    var unix = wall &- Int64(location.zone(at: wall).offset)
    let corrected = location.zone(at: unix).offset
    unix = wall &- Int64(corrected)
    return GoTime(seconds: unix, nanoseconds: nanosecond % 1_000_000_000, location: location)
  }
}
