/// Go's `time.ParseInLocation` for the layouts `GoTimeLayout` knows.
enum GoTimeParsing {
  /// Why the value does not fit the layout, worded as Go's `*time.ParseError`.
  struct ParseError: Error {
    let message: String
  }

  private struct Cursor {
    var bytes: ArraySlice<UInt8>
    var text: String { String(decoding: bytes, as: UTF8.self) }
  }

  /// Parses `value` with `layout`; times without a zone are in `location`.
  static func parse(layout: String, value: String, location: GoLocation) throws -> GoTime {
    let elements = GoTimeLayout.elements(layout)
    var cursor = Cursor(bytes: Array(value.utf8)[...])
    var year = 0
    var month = -1
    var day = -1
    var yearDay = -1
    var hour = 0
    var minute = 0
    var second = 0
    var nanosecond = 0
    var pmSet = false
    var amSet = false
    var zoneOffset: Int?
    var zoneName: String?

    func failure(_ element: GoTimeLayout.Element, _ remainder: String) -> ParseError {
      ParseError(
        message:
          "parsing time \(GoPrinting.quote(value)) as \(GoPrinting.quote(layout)): cannot parse "
          + "\(GoPrinting.quote(remainder)) as \(GoPrinting.quote(element.text))")
    }
    func rangeError(_ what: String) -> ParseError {
      ParseError(message: "parsing time \(GoPrinting.quote(value)): \(what) out of range")
    }
    func digits(_ fixed: Int?, maximum: Int = 2) -> Int? {
      var count = 0
      var number = 0
      while count < (fixed ?? maximum), let byte = cursor.bytes.dropFirst(count).first,
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      {
        number = number * 10 + Int(byte - UInt8(ascii: "0"))
        count += 1
      }
      guard count > 0, fixed == nil || count == fixed else { return nil }
      cursor.bytes = cursor.bytes.dropFirst(count)
      return number
    }
    func name(from names: [String]) -> Int? {
      for (index, candidate) in names.enumerated() {
        let length = candidate.utf8.count
        if cursor.bytes.count >= length,
          String(decoding: cursor.bytes.prefix(length), as: UTF8.self).lowercased()
            == candidate.lowercased()
        {
          cursor.bytes = cursor.bytes.dropFirst(length)
          return index
        }
      }
      return nil
    }

    for (position, element) in elements.enumerated() {
      let before = cursor.text
      switch element {
      case .literal(let text):
        // Go lets spaces in the layout and value differ in number.
        var expected = Array(text.utf8)[...]
        while let byte = expected.first {
          if byte == UInt8(ascii: " ") {
            while expected.first == UInt8(ascii: " ") { expected = expected.dropFirst() }
            guard cursor.bytes.first == UInt8(ascii: " ") else { throw failure(element, before) }
            while cursor.bytes.first == UInt8(ascii: " ") {
              cursor.bytes = cursor.bytes.dropFirst()
            }
            continue
          }
          guard cursor.bytes.first == byte else { throw failure(element, before) }
          expected = expected.dropFirst()
          cursor.bytes = cursor.bytes.dropFirst()
        }
      case .year:
        guard let value = digits(2) else { throw failure(element, before) }
        year = value >= 69 ? 1900 + value : 2000 + value
      case .longYear:
        guard let value = digits(4) else { throw failure(element, before) }
        year = value
      case .month:
        guard let value = name(from: GoTimeLayout.longMonths.map { String($0.prefix(3)) }) else {
          throw failure(element, before)
        }
        month = value + 1
      case .longMonth:
        guard let value = name(from: GoTimeLayout.longMonths) else {
          throw failure(element, before)
        }
        month = value + 1
      case .numMonth, .zeroMonth:
        guard let value = digits(element == .zeroMonth ? 2 : nil) else {
          throw failure(element, before)
        }
        guard (1...12).contains(value) else { throw rangeError("month") }
        month = value
      case .weekDay:
        guard name(from: GoTimeLayout.longDays.map { String($0.prefix(3)) }) != nil else {
          throw failure(element, before)
        }
      case .longWeekDay:
        guard name(from: GoTimeLayout.longDays) != nil else { throw failure(element, before) }
      case .day, .underDay, .zeroDay:
        if element == .underDay && cursor.bytes.first == UInt8(ascii: " ") {
          cursor.bytes = cursor.bytes.dropFirst()
        }
        guard let value = digits(element == .zeroDay ? 2 : nil) else {
          throw failure(element, before)
        }
        day = value
      case .underYearDay, .zeroYearDay:
        if element == .underYearDay {
          while cursor.bytes.first == UInt8(ascii: " ") { cursor.bytes = cursor.bytes.dropFirst() }
        }
        guard let value = digits(element == .zeroYearDay ? 3 : nil, maximum: 3) else {
          throw failure(element, before)
        }
        yearDay = value
      case .hour:
        guard let value = digits(nil) else { throw failure(element, before) }
        guard value < 24 else { throw rangeError("hour") }
        hour = value
      case .hour12, .zeroHour12:
        guard let value = digits(element == .zeroHour12 ? 2 : nil) else {
          throw failure(element, before)
        }
        guard value <= 12 else { throw rangeError("hour") }
        hour = value
      case .minute, .zeroMinute:
        guard let value = digits(element == .zeroMinute ? 2 : nil) else {
          throw failure(element, before)
        }
        guard value < 60 else { throw rangeError("minute") }
        minute = value
      case .second, .zeroSecond:
        guard let value = digits(element == .zeroSecond ? 2 : nil) else {
          throw failure(element, before)
        }
        guard value < 60 else { throw rangeError("second") }
        second = value
        // A fraction in the value after seconds is read even when the layout has none.
        let next = position + 1 < elements.count ? elements[position + 1] : nil
        if case .fraction = next {
        } else if let separator = cursor.bytes.first,
          separator == UInt8(ascii: ".") || separator == UInt8(ascii: ","),
          let digit = cursor.bytes.dropFirst().first,
          (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit)
        {
          cursor.bytes = cursor.bytes.dropFirst()
          nanosecond = fraction(&cursor.bytes, count: nil)
        }
      case .pm, .lowerPM:
        let text = String(decoding: cursor.bytes.prefix(2), as: UTF8.self).uppercased()
        guard text == "PM" || text == "AM" else { throw failure(element, before) }
        (pmSet, amSet) = (text == "PM", text == "AM")
        cursor.bytes = cursor.bytes.dropFirst(2)
      case .iso8601(let form), .numeric(let form):
        if case .iso8601 = element, cursor.bytes.first == UInt8(ascii: "Z") {
          cursor.bytes = cursor.bytes.dropFirst()
          zoneOffset = 0
          zoneName = "UTC"
          continue
        }
        guard let sign = cursor.bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")
        else {
          throw failure(element, before)
        }
        cursor.bytes = cursor.bytes.dropFirst()
        var parts: [Int] = []
        let shape: [Int?]
        switch form {
        case .hh: shape = [2]
        case .hhmm: shape = [2, 2]
        case .colon: shape = [2, nil, 2]
        case .hhmmss: shape = [2, 2, 2]
        case .colonSeconds: shape = [2, nil, 2, nil, 2]
        }
        for width in shape {
          if let width {
            guard let value = digits(width) else { throw failure(element, before) }
            parts.append(value)
          } else {
            guard cursor.bytes.first == UInt8(ascii: ":") else { throw failure(element, before) }
            cursor.bytes = cursor.bytes.dropFirst()
          }
        }
        let seconds =
          parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
        zoneOffset = sign == UInt8(ascii: "-") ? -seconds : seconds
      case .zoneName:
        if cursor.bytes.starts(with: "UTC".utf8) {
          cursor.bytes = cursor.bytes.dropFirst(3)
          zoneName = "UTC"
          zoneOffset = 0
          continue
        }
        let letters = cursor.bytes.prefix { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        guard letters.count >= 3 else { throw failure(element, before) }
        zoneName = String(decoding: letters, as: UTF8.self)
        cursor.bytes = cursor.bytes.dropFirst(letters.count)
      case .fraction(let separator, let count, let trimmed):
        if trimmed {
          guard let first = cursor.bytes.first,
            first == UInt8(ascii: ".") || first == UInt8(ascii: ",")
          else { continue }
          cursor.bytes = cursor.bytes.dropFirst()
          nanosecond = fraction(&cursor.bytes, count: nil)
        } else {
          guard
            cursor.bytes.first == UInt8(String(separator).utf8.first!)
              || cursor.bytes.first == UInt8(ascii: ".")
              || cursor.bytes.first == UInt8(ascii: ",")
          else { throw failure(element, before) }
          cursor.bytes = cursor.bytes.dropFirst()
          let available = cursor.bytes.prefix {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
          }.count
          guard available >= count else { throw failure(element, before) }
          nanosecond = fraction(&cursor.bytes, count: count)
        }
      }
    }
    if !cursor.bytes.isEmpty {
      throw ParseError(
        message:
          "parsing time \(GoPrinting.quote(value)): extra text: \(GoPrinting.quote(cursor.text))")
    }
    if pmSet && hour < 12 { hour += 12 } else if amSet && hour == 12 { hour = 0 }
    if yearDay >= 0 {
      let days = CivilTime.isLeap(year) ? 366 : 365
      guard (1...days).contains(yearDay) else { throw rangeError("day-of-year") }
      if month < 0 {
        let date = CivilTime.date(fromDays: CivilTime.days(year: year, month: 1, day: yearDay))
        (month, day) = (date.1, date.2)
      }
    }
    if month < 0 { month = 1 }
    if day < 0 { day = 1 }
    guard day >= 1, day <= CivilTime.daysIn(month: month, year: year) else {
      throw rangeError("day")
    }

    if let zoneOffset {
      var time = GoTimeLayout.date(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second,
        nanosecond: nanosecond, location: .utc)
      time.seconds -= Int64(zoneOffset)
      if zoneName == "UTC" && zoneOffset == 0 { return time.in(.utc) }
      if location.zone(at: time.seconds).offset == zoneOffset { return time.in(location) }
      return time.in(.fixed(name: "", offset: zoneOffset))
    }
    if let zoneName {
      var time = GoTimeLayout.date(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second,
        nanosecond: nanosecond, location: .utc)
      if let offset = location.offset(ofZoneNamed: zoneName, near: time.seconds) {
        time.seconds -= Int64(offset)
        return time.in(location)
      }
      return time.in(.fixed(name: zoneName, offset: 0))
    }
    return GoTimeLayout.date(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second,
      nanosecond: nanosecond, location: location)
  }

  /// Reads fraction digits (all of them, or exactly `count`) as nanoseconds.
  private static func fraction(_ bytes: inout ArraySlice<UInt8>, count: Int?) -> Int {
    let digits = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    let used = count.map { min($0, digits.count) } ?? digits.count
    var nanoseconds = 0
    for (index, digit) in digits.prefix(used).enumerated() where index < 9 {
      nanoseconds +=
        Int(digit - UInt8(ascii: "0"))
        * [100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1][index]
    }
    bytes = bytes.dropFirst(used)
    return nanoseconds
  }
}
