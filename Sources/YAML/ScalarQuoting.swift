import CYAML

/// Chooses how the emitter asks libyaml to write a string, as go-yaml v2's encoder does:
///
/// - a string containing a line break: a literal block (`|`, `|-`, `|+`, chosen by libyaml from the
///   trailing breaks); libyaml falls back to double quotes when a block cannot hold it exactly
///   (trailing spaces on a line, control characters, a simple-key position);
/// - a string that would read back as something else if unquoted (`"on"`, `"123"`, `"null"`, `""`,
///   `"1.5"`, `"2024-01-01"` (a timestamp), `"1:20"` (a YAML 1.1 base-60 number)): double quotes;
/// - anything else: plain, which libyaml itself downgrades to single quotes when the text cannot be
///   plain (leading indicators `- ? : , [ ] { } # & * ! | > ' " % @` and backtick, `: ` or ` #`
///   inside, leading or trailing spaces, ...).
///
/// One deliberate difference: a mapping key `<<` is double-quoted, where go-yaml writes it plain and
/// so turns it into a merge key on the next read.
enum ScalarQuoting {
  static func style(for text: String, isKey: Bool) -> yaml_scalar_style_t {
    if text.utf8.contains(UInt8(ascii: "\n")) { return YAML_LITERAL_SCALAR_STYLE }
    if isKey && text == "<<" { return YAML_DOUBLE_QUOTED_SCALAR_STYLE }
    if readsBackAsString(text) { return YAML_PLAIN_SCALAR_STYLE }
    return YAML_DOUBLE_QUOTED_SCALAR_STYLE
  }

  /// Whether `text`, written plain, reads back as this same string (and go-yaml would write it plain).
  static func readsBackAsString(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { bytes in
      guard ScalarResolver.resolvePlain(bytes: bytes) == .string else { return false }
      guard let first = bytes.first,
        first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
          || (first >= 48 && first <= 57)
      else { return true }
      return !isBase60Float(bytes) && !isTimestamp(bytes)
    }
  }

  /// go-yaml's `base60float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
  static func isBase60Float(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = s.count
    var i = 0
    func isDigit(_ i: Int) -> Bool { i < n && s[i] >= 48 && s[i] <= 57 }
    if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
    guard isDigit(i) else { return false }
    i += 1
    while isDigit(i) || (i < n && s[i] == UInt8(ascii: "_")) { i += 1 }
    var groups = 0
    while i < n && s[i] == UInt8(ascii: ":") {
      i += 1
      // [0-5]?[0-9]: one digit, or two digits with the first at most 5.
      guard isDigit(i) else { return false }
      if isDigit(i + 1) {
        guard s[i] <= UInt8(ascii: "5") else { return false }
        i += 2
      } else {
        i += 1
      }
      groups += 1
    }
    guard groups > 0 else { return false }
    if i < n && s[i] == UInt8(ascii: ".") {
      i += 1
      while isDigit(i) || (i < n && s[i] == UInt8(ascii: "_")) { i += 1 }
    }
    return i == n
  }

  /// go-yaml v2's `parseTimestamp`: Go's `time.Parse` with the layouts `2006-1-2T15:4:5.999999999Z07:00`
  /// (also with a lower-case `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`.
  static func isTimestamp(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = s.count
    func number(maxDigits: Int) -> Int? {
      var value = 0
      var digits = 0
      while i < n && digits < maxDigits && s[i] >= 48 && s[i] <= 57 {
        value = value * 10 + Int(s[i] - 48)
        i += 1
        digits += 1
      }
      return digits == 0 ? nil : value
    }
    func expect(_ byte: UInt8) -> Bool {
      guard i < n && s[i] == byte else { return false }
      i += 1
      return true
    }
    guard let year = number(maxDigits: 4), i == 4, expect(UInt8(ascii: "-")),
      let month = number(maxDigits: 2), (1...12).contains(month), expect(UInt8(ascii: "-")),
      let day = number(maxDigits: 2), day >= 1, day <= daysIn(month: month, year: year)
    else { return false }
    if i == n { return true }
    let separator = s[i]
    guard
      separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
        || separator == UInt8(ascii: " ")
    else { return false }
    i += 1
    guard let hour = number(maxDigits: 2), hour < 24, expect(UInt8(ascii: ":")),
      let minute = number(maxDigits: 2), minute < 60, expect(UInt8(ascii: ":")),
      let second = number(maxDigits: 2), second < 60
    else { return false }
    if i < n && (s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",")) {
      i += 1
      guard number(maxDigits: 9) != nil else { return false }
    }
    if separator == UInt8(ascii: " ") { return i == n }
    // Z07:00: `Z`, or a sign and hh:mm.
    if expect(UInt8(ascii: "Z")) { return i == n }
    guard i < n, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") else { return false }
    i += 1
    let start = i
    guard let zoneHour = number(maxDigits: 2), i - start == 2, zoneHour < 24,
      expect(UInt8(ascii: ":"))
    else { return false }
    let minuteStart = i
    guard let zoneMinute = number(maxDigits: 2), i - minuteStart == 2, zoneMinute < 60 else {
      return false
    }
    return i == n
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
