import GoNumbers

/// Go's `fmt` package over template values: `Sprint`, `Sprintln` and `Sprintf` with the verbs,
/// flags and error forms (`%!d(string=x)`, `%!d(MISSING)`, `%!(EXTRA int=1)`) Go prints.
struct GoFormatter {
  private var out = ""

  // Flags of the verb being formatted.
  private var plus = false
  private var minus = false
  private var sharp = false
  private var space = false
  private var zero = false
  private var plusV = false
  private var sharpV = false
  private var width: Int?
  private var precision: Int?

  private mutating func clearFlags() {
    plus = false
    minus = false
    sharp = false
    space = false
    zero = false
    plusV = false
    sharpV = false
    width = nil
    precision = nil
  }

  // MARK: - Entry points

  /// `fmt.Sprint`: spaces between operands when neither side is a string.
  static func sprint(_ arguments: [TemplateValue]) -> String {
    var formatter = GoFormatter()
    var previousIsString = false
    for (index, argument) in arguments.enumerated() {
      let isString: Bool
      if case .string = argument { isString = true } else { isString = false }
      if index > 0 && !isString && !previousIsString { formatter.out.append(" ") }
      formatter.printArgument(argument, verb: "v")
      previousIsString = isString
    }
    return formatter.out
  }

  /// `fmt.Sprint` of one value.
  static func sprint(_ value: TemplateValue) -> String {
    switch value {
    case .string(let string): return string
    case .int(let int): return String(int)
    case .bool(let bool): return bool ? "true" : "false"
    default:
      var formatter = GoFormatter()
      formatter.printArgument(value, verb: "v")
      return formatter.out
    }
  }

  /// `fmt.Sprintln`: spaces between all operands and a final newline.
  static func sprintln(_ arguments: [TemplateValue]) -> String {
    var formatter = GoFormatter()
    for (index, argument) in arguments.enumerated() {
      if index > 0 { formatter.out.append(" ") }
      formatter.printArgument(argument, verb: "v")
    }
    formatter.out.append("\n")
    return formatter.out
  }

  /// `fmt.Sprintf`.
  static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
    var formatter = GoFormatter()
    formatter.doPrintf(Array(format.utf8), arguments)
    return formatter.out
  }

  // MARK: - Printf

  private static func tooLarge(_ value: Int) -> Bool { value > 1_000_000 || value < -1_000_000 }

  private static func parseNumber(_ format: [UInt8], _ start: Int, _ end: Int) -> (
    Int, Bool, Int
  ) {
    if start >= end { return (0, false, end) }
    var number = 0
    var isNumber = false
    var index = start
    while index < end && format[index] >= UInt8(ascii: "0") && format[index] <= UInt8(ascii: "9") {
      if tooLarge(number) { return (0, false, end) }
      number = number * 10 + Int(format[index] - UInt8(ascii: "0"))
      isNumber = true
      index += 1
    }
    return (number, isNumber, index)
  }

  private static func parseArgumentNumber(_ format: [UInt8], from start: Int) -> (
    index: Int, width: Int, ok: Bool
  ) {
    if format.count - start < 3 { return (0, 1, false) }
    var index = start + 1
    while index < format.count {
      if format[index] == UInt8(ascii: "]") {
        let (number, ok, newIndex) = parseNumber(format, start + 1, index)
        if !ok || newIndex != index { return (0, index - start + 1, false) }
        return (number - 1, index - start + 1, true)
      }
      index += 1
    }
    return (0, 1, false)
  }

  private struct ArgumentState {
    var number = 0
    var reordered = false
    var goodNumber = true
  }

  private func argumentNumber(
    _ state: inout ArgumentState, _ format: [UInt8], _ index: Int, _ count: Int
  ) -> (Int, Bool) {
    guard index < format.count, format[index] == UInt8(ascii: "[") else { return (index, false) }
    state.reordered = true
    let (argumentIndex, width, ok) = Self.parseArgumentNumber(format, from: index)
    if ok && argumentIndex >= 0 && argumentIndex < count {
      state.number = argumentIndex
      return (index + width, true)
    }
    state.goodNumber = false
    return (index + width, ok)
  }

  private static func intFromArgument(_ arguments: [TemplateValue], _ number: Int) -> (
    Int, Bool, Int
  ) {
    guard number < arguments.count else { return (0, false, number) }
    var value = 0
    var isInt = false
    switch arguments[number] {
    case .int(let int):
      value = int
      isInt = true
    case .uint(let uint) where uint <= UInt(Int.max):
      value = Int(uint)
      isInt = true
    default: break
    }
    if tooLarge(value) {
      value = 0
      isInt = false
    }
    return (value, isInt, number + 1)
  }

  private mutating func doPrintf(_ format: [UInt8], _ arguments: [TemplateValue]) {
    let end = format.count
    var state = ArgumentState()
    var afterIndex = false
    var index = 0
    formatLoop: while index < end {
      state.goodNumber = true
      let last = index
      while index < end && format[index] != UInt8(ascii: "%") { index += 1 }
      if index > last { out.append(String(decoding: format[last..<index], as: UTF8.self)) }
      if index >= end { break }
      index += 1
      clearFlags()
      simpleFormat: while index < end {
        let byte = format[index]
        switch byte {
        case UInt8(ascii: "#"): sharp = true
        case UInt8(ascii: "0"): zero = !minus
        case UInt8(ascii: "+"): plus = true
        case UInt8(ascii: "-"):
          minus = true
          zero = false
        case UInt8(ascii: " "): space = true
        default:
          if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            && state.number < arguments.count
          {
            if byte == UInt8(ascii: "v") {
              sharpV = sharp
              sharp = false
              plusV = plus
              plus = false
            }
            printArgument(arguments[state.number], verb: Character(Unicode.Scalar(byte)))
            state.number += 1
            index += 1
            continue formatLoop
          }
          break simpleFormat
        }
        index += 1
      }

      (index, afterIndex) = argumentNumber(&state, format, index, arguments.count)

      if index < end && format[index] == UInt8(ascii: "*") {
        index += 1
        let (value, ok, next) = Self.intFromArgument(arguments, state.number)
        state.number = next
        width = ok ? value : nil
        if !ok { out.append("%!(BADWIDTH)") }
        if let current = width, current < 0 {
          width = -current
          minus = true
          zero = false
        }
        afterIndex = false
      } else {
        let (value, ok, next) = Self.parseNumber(format, index, end)
        index = next
        width = ok ? value : nil
        if afterIndex && width != nil { state.goodNumber = false }
      }

      if index + 1 < end && format[index] == UInt8(ascii: ".") {
        index += 1
        if afterIndex { state.goodNumber = false }
        (index, afterIndex) = argumentNumber(&state, format, index, arguments.count)
        if index < end && format[index] == UInt8(ascii: "*") {
          index += 1
          let (value, ok, next) = Self.intFromArgument(arguments, state.number)
          state.number = next
          precision = ok ? value : nil
          if let current = precision, current < 0 { precision = nil }
          if precision == nil { out.append("%!(BADPREC)") }
          afterIndex = false
        } else {
          let (value, ok, next) = Self.parseNumber(format, index, end)
          index = next
          precision = ok ? value : 0
        }
      }

      if !afterIndex {
        (index, afterIndex) = argumentNumber(&state, format, index, arguments.count)
      }

      if index >= end {
        out.append("%!(NOVERB)")
        break
      }

      // The verb is one rune.
      let verbScalar: Unicode.Scalar
      let length: Int
      if format[index] < 0x80 {
        verbScalar = Unicode.Scalar(format[index])
        length = 1
      } else {
        let tail = String(decoding: format[index..<min(end, index + 4)], as: UTF8.self)
        verbScalar = tail.unicodeScalars.first ?? "\u{FFFD}"
        length = max(String(verbScalar).utf8.count, 1)
      }
      index += length
      let verb = Character(verbScalar)

      if verb == "%" {
        out.append("%")
      } else if !state.goodNumber {
        out.append("%!\(verb)(BADINDEX)")
      } else if state.number >= arguments.count {
        out.append("%!\(verb)(MISSING)")
      } else {
        if verb == "v" {
          sharpV = sharp
          sharp = false
          plusV = plus
          plus = false
        }
        printArgument(arguments[state.number], verb: verb)
        state.number += 1
      }
    }

    if !state.reordered && state.number < arguments.count {
      clearFlags()
      out.append("%!(EXTRA ")
      for (offset, argument) in arguments[state.number...].enumerated() {
        if offset > 0 { out.append(", ") }
        if argument.isNil {
          out.append("<nil>")
        } else {
          out.append(argument.goTypeName)
          out.append("=")
          printArgument(argument, verb: "v")
        }
      }
      out.append(")")
    }
  }

  // MARK: - Values

  private mutating func printArgument(_ argument: TemplateValue, verb: Character) {
    if argument.isNil {
      if verb == "T" || verb == "v" {
        pad("<nil>")
      } else {
        badVerb(verb, argument)
      }
      return
    }
    if verb == "T" {
      formatString(argument.goTypeName)
      return
    }
    printValue(argument, verb: verb, depth: 0)
  }

  private mutating func printValue(_ value: TemplateValue, verb: Character, depth: Int) {
    switch value {
    case .missing, .null:
      // Only reached inside lists and maps: a nil interface element.
      if sharpV {
        out.append("interface {}(nil)")
      } else {
        pad("<nil>")
      }
    case .bool(let bool):
      switch verb {
      case "t", "v": pad(bool ? "true" : "false")
      default: badVerb(verb, value)
      }
    case .int(let int):
      formatInteger(UInt64(bitPattern: Int64(int)), signed: true, verb: verb, value: value)
    case .uint(let uint):
      formatInteger(UInt64(uint), signed: false, verb: verb, value: value)
    case .float(let float):
      formatFloat(float, verb: verb, value: value)
    case .string(let string):
      switch verb {
      case "v":
        if sharpV { formatQuoted(string) } else { formatString(string) }
      case "s": formatString(string)
      case "x": formatHexString(string, upper: false)
      case "X": formatHexString(string, upper: true)
      case "q": formatQuoted(string)
      default: badVerb(verb, value)
      }
    case .list(let list):
      if sharpV {
        out.append("[]interface {}{")
        for (index, element) in list.enumerated() {
          if index > 0 { out.append(", ") }
          printValue(element, verb: verb, depth: depth + 1)
        }
        out.append("}")
      } else {
        out.append("[")
        for (index, element) in list.enumerated() {
          if index > 0 { out.append(" ") }
          printValue(element, verb: verb, depth: depth + 1)
        }
        out.append("]")
      }
    case .map(let reference):
      let map = reference.entries
      out.append(sharpV ? "map[string]interface {}{" : "map[")
      for (index, key) in sortedKeys(map).enumerated() {
        if index > 0 { out.append(sharpV ? ", " : " ") }
        printValue(.string(key), verb: verb, depth: depth + 1)
        out.append(":")
        printValue(map[key]!, verb: verb, depth: depth + 1)
      }
      out.append(sharpV ? "}" : "]")
    case .object(let object):
      switch verb {
      case "v", "s": pad(object.printed)
      default: badVerb(verb, value)
      }
    case .function:
      out.append("%!\(verb)(func)")
    }
  }

  private mutating func badVerb(_ verb: Character, _ value: TemplateValue) {
    out.append("%!")
    out.append(verb)
    out.append("(")
    if value.isNil {
      out.append("<nil>")
    } else {
      out.append(value.goTypeName)
      out.append("=")
      // Go prints the value with %v but keeps the other flags.
      printValue(value, verb: "v", depth: 0)
    }
    out.append(")")
  }

  // MARK: - Padding

  private mutating func writePadding(_ count: Int) {
    guard count > 0 else { return }
    out.append(String(repeating: zero ? "0" : " ", count: count))
  }

  private mutating func pad(_ text: String) {
    guard let width, width > 0 else {
      out.append(text)
      return
    }
    let missing = width - text.unicodeScalars.count
    if !minus {
      writePadding(missing)
      out.append(text)
    } else {
      out.append(text)
      let savedZero = zero
      zero = false
      writePadding(missing)
      zero = savedZero
    }
  }

  // MARK: - Strings

  private func truncated(_ text: String) -> String {
    guard let precision else { return text }
    let scalars = text.unicodeScalars
    if scalars.count <= precision { return text }
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars.prefix(precision))
    return String(result)
  }

  private mutating func formatString(_ text: String) {
    pad(truncated(text))
  }

  private mutating func formatQuoted(_ text: String) {
    let text = truncated(text)
    if sharp && goCanBackquote(text) {
      pad("`" + text + "`")
    } else {
      pad(goQuote(text, asciiOnly: plus))
    }
  }

  private mutating func formatHexString(_ text: String, upper: Bool) {
    let digits = Array((upper ? "0123456789ABCDEFX" : "0123456789abcdefx").utf8)
    let bytes = Array(text.utf8)
    var length = bytes.count
    if let precision, precision < length { length = precision }
    var encodedWidth = 2 * length
    if encodedWidth > 0 {
      if space {
        if sharp { encodedWidth *= 2 }
        encodedWidth += length - 1
      } else if sharp {
        encodedWidth += 2
      }
    } else {
      if let width { writePadding(width) }
      return
    }
    if let width, width > encodedWidth, !minus { writePadding(width - encodedWidth) }
    var buffer: [UInt8] = []
    if sharp { buffer += [UInt8(ascii: "0"), digits[16]] }
    for index in 0..<length {
      if space && index > 0 {
        buffer.append(UInt8(ascii: " "))
        if sharp { buffer += [UInt8(ascii: "0"), digits[16]] }
      }
      buffer.append(digits[Int(bytes[index] >> 4)])
      buffer.append(digits[Int(bytes[index] & 0xF)])
    }
    out.append(String(decoding: buffer, as: UTF8.self))
    if let width, width > encodedWidth, minus {
      let savedZero = zero
      zero = false
      writePadding(width - encodedWidth)
      zero = savedZero
    }
  }

  // MARK: - Integers

  private mutating func formatInteger(
    _ bits: UInt64, signed: Bool, verb: Character, value: TemplateValue
  ) {
    switch verb {
    case "v":
      if sharpV && !signed {
        formatIntegerDigits(
          bits, base: 16, signed: false, verb: verb, upper: false, forceSharp: true)
      } else {
        formatIntegerDigits(bits, base: 10, signed: signed, verb: verb, upper: false)
      }
    case "d": formatIntegerDigits(bits, base: 10, signed: signed, verb: verb, upper: false)
    case "b": formatIntegerDigits(bits, base: 2, signed: signed, verb: verb, upper: false)
    case "o", "O": formatIntegerDigits(bits, base: 8, signed: signed, verb: verb, upper: false)
    case "x": formatIntegerDigits(bits, base: 16, signed: signed, verb: verb, upper: false)
    case "X": formatIntegerDigits(bits, base: 16, signed: signed, verb: verb, upper: true)
    case "c":
      pad(String(Character(runeScalar(bits, signed: signed))))
    case "q":
      let rune = signed ? Int(Int64(bitPattern: bits)) : (bits > 0x10FFFF ? -1 : Int(bits))
      pad(goQuoteRune(rune, asciiOnly: plus))
    case "U":
      formatUnicode(bits)
    default:
      badVerb(verb, value)
    }
  }

  private func runeScalar(_ bits: UInt64, signed: Bool) -> Unicode.Scalar {
    if signed && Int64(bitPattern: bits) < 0 { return "\u{FFFD}" }
    guard bits <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(bits)) else { return "\u{FFFD}" }
    return scalar
  }

  private mutating func formatUnicode(_ bits: UInt64) {
    var hex = String(bits, radix: 16, uppercase: true)
    let minimumDigits = max(precision ?? 4, 4)
    if hex.count < minimumDigits {
      hex = String(repeating: "0", count: minimumDigits - hex.count) + hex
    }
    var text = "U+" + hex
    if sharp, bits <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(bits)), isGoPrintable(scalar) {
      text += " '" + String(Character(scalar)) + "'"
    }
    let savedZero = zero
    zero = false
    pad(text)
    zero = savedZero
  }

  private mutating func formatIntegerDigits(
    _ bits: UInt64, base: UInt64, signed: Bool, verb: Character, upper: Bool,
    forceSharp: Bool = false
  ) {
    let negative = signed && Int64(bitPattern: bits) < 0
    var magnitude = negative ? (0 &- bits) : bits
    var minimumDigits = 0
    if let precision {
      minimumDigits = precision
      if precision == 0 && magnitude == 0 {
        let savedZero = zero
        zero = false
        writePadding(width ?? 0)
        zero = savedZero
        return
      }
    } else if zero && !minus, let width {
      minimumDigits = width
      if negative || plus || space { minimumDigits -= 1 }
    }
    let digitChars = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    var buffer: [UInt8] = []
    repeat {
      buffer.append(digitChars[Int(magnitude % base)])
      magnitude /= base
    } while magnitude > 0
    while buffer.count < minimumDigits { buffer.append(UInt8(ascii: "0")) }
    if sharp || forceSharp {
      switch base {
      case 2: buffer += [UInt8(ascii: "b"), UInt8(ascii: "0")]
      case 8:
        if buffer.last != UInt8(ascii: "0") { buffer.append(UInt8(ascii: "0")) }
      case 16: buffer += [upper ? UInt8(ascii: "X") : UInt8(ascii: "x"), UInt8(ascii: "0")]
      default: break
      }
    }
    if verb == "O" { buffer += [UInt8(ascii: "o"), UInt8(ascii: "0")] }
    if negative {
      buffer.append(UInt8(ascii: "-"))
    } else if plus {
      buffer.append(UInt8(ascii: "+"))
    } else if space {
      buffer.append(UInt8(ascii: " "))
    }
    let savedZero = zero
    zero = false
    pad(String(decoding: buffer.reversed(), as: UTF8.self))
    zero = savedZero
  }

  // MARK: - Floats

  private mutating func formatFloat(_ float: Double, verb: Character, value: TemplateValue) {
    let strconvVerb: Character
    var defaultPrecision: Int
    switch verb {
    case "v":
      strconvVerb = "g"
      defaultPrecision = -1
    case "b", "g", "G", "x", "X":
      strconvVerb = verb
      defaultPrecision = -1
    case "f", "e", "E":
      strconvVerb = verb
      defaultPrecision = 6
    case "F":
      strconvVerb = "f"
      defaultPrecision = 6
    default:
      badVerb(verb, value)
      return
    }
    if let precision { defaultPrecision = precision }
    let number = GoFloat.format(float, strconvVerb, precision: defaultPrecision)
    var signed: String
    if number.hasPrefix("-") || number.hasPrefix("+") {
      signed = number
    } else {
      signed = "+" + number
    }
    if space && signed.hasPrefix("+") && !plus {
      signed = " " + signed.dropFirst()
    }
    if sharp && strconvVerb != "b" && !signed.contains("Inf") && !signed.contains("NaN") {
      signed = sharpFloat(
        signed, verb: verb == "v" ? "v" : strconvVerb, precision: defaultPrecision)
    }
    let afterSign = signed.dropFirst()
    if afterSign.hasPrefix("I") || afterSign.hasPrefix("N") {
      let savedZero = zero
      zero = false
      if afterSign.hasPrefix("N") && !space && !plus { signed = String(afterSign) }
      pad(signed)
      zero = savedZero
      return
    }
    if plus || !signed.hasPrefix("+") {
      if zero, let width, width > signed.unicodeScalars.count {
        out.append(signed.first!)
        writePadding(width - signed.unicodeScalars.count)
        out.append(String(afterSign))
        return
      }
      pad(signed)
      return
    }
    pad(String(afterSign))
  }

  /// The `#` flag: always a decimal point, and for `%g` trailing zeros up to the precision.
  /// `signed` starts with its sign character.
  private func sharpFloat(_ signed: String, verb: Character, precision: Int) -> String {
    var digits = 0
    switch verb {
    case "v", "g", "G", "x":
      digits = precision == -1 ? 6 : precision
    default: break
    }
    var number = Array(signed.utf8)
    var tail: [UInt8] = []
    var hasDecimalPoint = false
    var sawNonzeroDigit = false
    var index = 1
    scan: while index < number.count {
      let byte = number[index]
      switch byte {
      case UInt8(ascii: "."):
        hasDecimalPoint = true
      case UInt8(ascii: "p"), UInt8(ascii: "P"):
        tail = Array(number[index...])
        number.removeSubrange(index...)
        break scan
      case UInt8(ascii: "e") where verb != "x" && verb != "X",
        UInt8(ascii: "E") where verb != "x" && verb != "X":
        tail = Array(number[index...])
        number.removeSubrange(index...)
        break scan
      default:
        if byte != UInt8(ascii: "0") { sawNonzeroDigit = true }
        if sawNonzeroDigit { digits -= 1 }
      }
      index += 1
    }
    if !hasDecimalPoint {
      if number.count == 2 && number[1] == UInt8(ascii: "0") { digits -= 1 }
      number.append(UInt8(ascii: "."))
    }
    while digits > 0 {
      number.append(UInt8(ascii: "0"))
      digits -= 1
    }
    return String(decoding: number + tail, as: UTF8.self)
  }
}
