/// Number and character constants, read as Go's parser reads them and typed as Go's executor
/// types an untyped constant (`idealConstant`): a float if it is spelled like one, else an int.

/// A number the parser rejects; the message is Go's.
struct NumberSyntaxError: Error {
  let message: String
}

/// The value of a number or character literal in an untyped context, or nil when it fits only
/// in a uint64 (Go then fails with "overflows int" if it is evaluated).
func parseNumber(_ text: String, isChar: Bool) throws -> TemplateValue? {
  if isChar {
    let bytes = Array(text.utf8)
    let decoded: (value: UInt32, isByte: Bool, next: Int)
    do {
      decoded = try goUnquoteChar(bytes, at: 1, quote: UInt8(ascii: "'"))
    } catch {
      throw NumberSyntaxError(message: "invalid syntax")
    }
    guard decoded.next == bytes.count - 1 else {
      throw NumberSyntaxError(message: "malformed character constant: \(text)")
    }
    return .int(Int(decoded.value))
  }
  if text.hasSuffix("i") {
    throw NumberSyntaxError(message: "complex constants are not supported: \(goQuote(text))")
  }
  let signedInt = parseGoInteger(text)
  let unsignedInt = text.first == "+" || text.first == "-" ? nil : signedInt?.magnitude
  let int64: Int?
  if let signedInt, let magnitude = signedInt.magnitude {
    if signedInt.negative {
      int64 = magnitude <= UInt(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil
    } else {
      int64 = magnitude <= UInt(Int.max) ? Int(magnitude) : nil
    }
  } else {
    int64 = nil
  }
  let looksFloat = text.contains { ".eEpP".contains($0) }
  if int64 != nil || unsignedInt != nil {
    // An integer literal; it is a float only when spelled like one (1e3 is not an integer here).
    if let int64 { return .int(int64) }
    return nil
  }
  guard let float = parseGoFloat(text) else {
    throw NumberSyntaxError(message: "illegal number syntax: \(goQuote(text))")
  }
  if !looksFloat {
    throw NumberSyntaxError(message: "integer overflow: \(goQuote(text))")
  }
  return .float(float)
}

/// Go's `strconv.ParseInt(text, 0, 64)` split into sign and magnitude (magnitude nil when it
/// overflows 64 bits); nil when the syntax is not an integer.
private func parseGoInteger(_ text: String) -> (negative: Bool, magnitude: UInt?)? {
  var bytes = Substring(text).utf8[...]
  var negative = false
  if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
    negative = first == UInt8(ascii: "-")
    bytes = bytes.dropFirst()
  }
  var base: UInt = 10
  var hasPrefix = false
  let lower = bytes.count >= 2 ? bytes.dropFirst().first.map { $0 | 0x20 } : nil
  if bytes.first == UInt8(ascii: "0"), let lower {
    switch lower {
    case UInt8(ascii: "x"): base = 16
    case UInt8(ascii: "o"): base = 8
    case UInt8(ascii: "b"): base = 2
    default: base = 8
    }
    if base != 8 || lower == UInt8(ascii: "o") {
      bytes = bytes.dropFirst(2)
      hasPrefix = true
    } else {
      bytes = bytes.dropFirst(1)
      hasPrefix = true
    }
  }
  let digits = Array(bytes)
  if digits.isEmpty { return hasPrefix && base == 8 && lower == nil ? (negative, 0) : nil }
  // Underscores only between digits, or right after a base prefix.
  if digits.contains(UInt8(ascii: "_")) {
    if digits.last == UInt8(ascii: "_") { return nil }
    if digits.first == UInt8(ascii: "_") && !hasPrefix { return nil }
    for index in 1..<digits.count
    where digits[index] == UInt8(ascii: "_") && digits[index - 1] == UInt8(ascii: "_") {
      return nil
    }
  }
  var value: UInt = 0
  var overflow = false
  var sawDigit = false
  for byte in digits where byte != UInt8(ascii: "_") {
    let digit: UInt
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
    guard digit < base else { return nil }
    sawDigit = true
    let (multiplied, overflowMultiply) = value.multipliedReportingOverflow(by: base)
    let (added, overflowAdd) = multiplied.addingReportingOverflow(digit)
    if overflowMultiply || overflowAdd { overflow = true }
    value = added
  }
  if !sawDigit { return nil }
  return (negative, overflow ? nil : value)
}

/// Go's `strconv.ParseFloat(text, 64)` for the literal forms the lexer lets through.
private func parseGoFloat(_ text: String) -> Double? {
  var cleaned = text
  if cleaned.contains("_") {
    if cleaned.contains("__") || cleaned.hasSuffix("_") { return nil }
    cleaned.removeAll { $0 == "_" }
  }
  if cleaned.hasPrefix("+") { cleaned.removeFirst() }
  let body = cleaned.hasPrefix("-") ? cleaned.dropFirst() : Substring(cleaned)
  if body.hasPrefix("0x") || body.hasPrefix("0X") {
    // Hex floats need an exponent in Go.
    guard body.contains(where: { $0 == "p" || $0 == "P" }) else { return nil }
  } else if body.contains(where: { $0 == "p" || $0 == "P" }) {
    return nil
  }
  // Out-of-range literals are errors in Go, not infinities.
  guard let value = Double(cleaned), value.isFinite else { return nil }
  return value
}
