import Foundation

/// What a scalar means, before it becomes a `JSONValue`. Integers beyond Int64 are kept apart so an
/// explicit `!!int` tag still accepts them.
enum ResolvedScalar: Equatable {
  case null
  case bool(Bool)
  case int(Int)
  /// An integer outside Int64 (go-yaml yields uint64 or big.Int; JSON conversion makes it a float64).
  case bigInt(Double)
  case double(Double)
  /// Not a keyword or number: the scalar's own text.
  case string

  func jsonValue(text: () -> String) -> JSONValue {
    switch self {
    case .null: return .null
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .bigInt(let d), .double(let d): return .double(d)
    case .string: return .string(text())
    }
  }
}

/// Gives scalars their meaning the way Kubernetes and Helm do: they read YAML with go-yaml v2 (the
/// copy vendored in sigs.k8s.io/yaml, `goyaml.v2/resolve.go`) and convert the result to JSON.
///
/// Plain (unquoted, untagged) scalars:
///
/// | Written                                                   | Value                        |
/// |-----------------------------------------------------------|------------------------------|
/// | (empty), `~`, `null`, `Null`, `NULL`                      | null                         |
/// | `true True TRUE`, `yes Yes YES`, `y Y`, `on On ON`        | true                         |
/// | `false False FALSE`, `no No NO`, `n N`, `off Off OFF`     | false                        |
/// | `12`, `+12`, `-12`, `1_000`                               | int (underscores dropped)    |
/// | `0x1F`/`0X1F`, `0o17`/`0O17`, `017` (leading 0), `0b101`  | int (hex, octal, binary)     |
/// | an integer outside Int64 (decimal, or unsigned hex/oct/bin)| double (as JSON conversion) |
/// | `1.5`, `1.`, `.5`, `-1.5e3`, `1e3`, `1_0.5`, `09`         | double                       |
/// | `.inf .Inf .INF` (with `+`/`-`), `.nan .NaN .NAN`         | double ±infinity, NaN        |
/// | everything else (`2024-01-01`, `1:20`, `0x`, `1e400`, ...)| string                       |
///
/// Where this differs from the loose phrase "true/yes/on in any case": go-yaml v2 accepts exactly
/// three spellings of each word (lower, Capitalized, UPPER), so `yEs` or `tRUE` are strings, and it
/// also accepts the single letters `y Y n N`. Timestamps stay strings, as they do after
/// sigs.k8s.io/yaml converts to JSON. `09` is a double because it is not valid octal but matches the
/// float pattern; `1e400` is a string because Go's ParseFloat reports it out of range. A signed hex,
/// octal or binary integer outside Int64 (`-0x8000000000000001`) is a string, as in go-yaml.
///
/// Quoted and block scalars are strings. Explicit tags are honoured: `!!str` (anything is a
/// string), `!!int`, `!!float` (an integer is widened), `!!bool`, `!!null`, `!!timestamp` (kept as a
/// string), `!!binary` (base64-decoded into a string, as go-yaml does; invalid UTF-8 becomes U+FFFD as
/// in Go's JSON encoder); a text that does not fit its tag is an error. Other tags (`!foo`, `!`) leave
/// the text a string.
public enum ScalarResolver {
  static let tagPrefix = "tag:yaml.org,2002:"

  /// The value of an untagged plain scalar.
  public static func resolvePlain(_ text: String) -> JSONValue {
    var text = text
    return text.withUTF8 { resolvePlain(bytes: $0) }.jsonValue { text }
  }

  /// The value of a scalar as written (style and tag included). Throws for a text that does not fit
  /// its explicit tag; `location` is where the error points.
  static func resolve(_ scalar: YAMLScalar, at location: @autoclosure () -> YAMLLocation)
    throws(YAMLError) -> JSONValue
  {
    if let tag = scalar.tag {
      return try resolveTagged(scalar.value, tag: tag, at: location())
    }
    if scalar.style != .plain { return .string(scalar.value) }
    return resolvePlain(scalar.value)
  }

  /// The meaning of an untagged plain scalar, read from its UTF-8 bytes with a first-byte dispatch
  /// so that ordinary words are known to be strings after one table look-up.
  static func resolvePlain(bytes: UnsafeBufferPointer<UInt8>) -> ResolvedScalar {
    guard let first = bytes.first else { return .null }
    switch first {
    case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"),
      UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
      UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"):
      return keyword(bytes) ?? .string
    case UInt8(ascii: "."):
      if let value = keyword(bytes) { return value }
      // Go's ParseFloat on the raw text: no underscores without a base prefix.
      guard isYAMLStyleFloat(bytes), let value = parseDouble(bytes), value.isFinite else {
        return .string
      }
      return .double(value)
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
      if bytes.count <= 6, let value = keyword(bytes) { return value }
      return number(bytes)
    default:
      return .string
    }
  }

  /// go-yaml's map of keywords: exact spellings only.
  private static func keyword(_ bytes: UnsafeBufferPointer<UInt8>) -> ResolvedScalar? {
    guard bytes.count <= 6 else { return nil }
    return keywords[packed(bytes)]
  }

  /// Up to 7 bytes and the length in one integer: a cheap dictionary key for short texts.
  private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var value = UInt64(bytes.count) << 56
    for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (UInt64(index) * 8) }
    return value
  }

  private static let keywords: [UInt64: ResolvedScalar] = {
    let table: [(ResolvedScalar, [String])] = [
      (.bool(true), ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]),
      (.bool(false), ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]),
      (.null, ["~", "null", "Null", "NULL"]),
      (.double(.nan), [".nan", ".NaN", ".NAN"]),
      (.double(.infinity), [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]),
      (.double(-.infinity), ["-.inf", "-.Inf", "-.INF"]),
    ]
    var keywords: [UInt64: ResolvedScalar] = [:]
    for (value, spellings) in table {
      for spelling in spellings {
        let bytes = Array(spelling.utf8)
        keywords[bytes.withUnsafeBufferPointer { packed($0) }] = value
      }
    }
    return keywords
  }()

  /// Integers and floats starting with a digit or a sign, in go-yaml v2's order: Go's
  /// `ParseInt(s, 0, 64)` after dropping underscores, then `ParseUint`, then the YAML float pattern,
  /// then (for an unsigned hex/octal/binary integer too big for uint64) a big integer.
  private static func number(_ raw: UnsafeBufferPointer<UInt8>) -> ResolvedScalar {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.count) { buffer in
      var count = 0
      for byte in raw where byte != UInt8(ascii: "_") {
        buffer[count] = byte
        count += 1
      }
      let plain = UnsafeBufferPointer(rebasing: buffer[0..<count])
      let integer = parseGoInteger(plain)
      switch integer {
      case .value(let magnitude, let negative, let signed):
        if negative {
          if magnitude <= UInt64(Int64.max) + 1 {
            return .int(magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude))
          }
        } else if magnitude <= UInt64(Int64.max) {
          return .int(Int(magnitude))
        } else if !signed {
          return .bigInt(Double(magnitude))  // ParseUint accepts it: uint64.
        }
      case .syntax, .overflow:
        break
      }
      if isYAMLStyleFloat(plain) {
        // Go's ParseFloat reports overflow to infinity as an error, leaving the text a string.
        if let value = parseDouble(plain), value.isFinite { return .double(value) }
        return .string
      }
      if case .overflow(let approximate, signed: false) = integer {
        return .bigInt(approximate)  // big.Int's SetString(plain, 0).
      }
      return .string
    }
  }

  private enum GoInteger {
    case value(magnitude: UInt64, negative: Bool, signed: Bool)
    case overflow(approximate: Double, signed: Bool)
    case syntax
  }

  /// Go's integer syntax with base 0: optional sign, then `0x`/`0o`/`0b` (either case), a leading
  /// `0` for octal, or decimal digits.
  private static func parseGoInteger(_ s: UnsafeBufferPointer<UInt8>) -> GoInteger {
    var index = 0
    var negative = false
    var signed = false
    if let first = s.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      negative = first == UInt8(ascii: "-")
      signed = true
      index = 1
    }
    var base: UInt64 = 10
    if s.count - index >= 2 && s[index] == UInt8(ascii: "0") {
      switch s[index + 1] | 0x20 {
      case UInt8(ascii: "x"):
        base = 16
        index += 2
      case UInt8(ascii: "o"):
        base = 8
        index += 2
      case UInt8(ascii: "b"):
        base = 2
        index += 2
      default:
        base = 8
        index += 1
      }
    }
    guard index < s.count else { return .syntax }
    var magnitude: UInt64 = 0
    var approximate = 0.0
    var overflow = false
    while index < s.count {
      let byte = s[index]
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
      default: return .syntax
      }
      guard digit < base else { return .syntax }
      approximate = approximate * Double(base) + Double(digit)
      if !overflow {
        let (product, o1) = magnitude.multipliedReportingOverflow(by: base)
        let (sum, o2) = product.addingReportingOverflow(digit)
        if o1 || o2 { overflow = true } else { magnitude = sum }
      }
      index += 1
    }
    if overflow {
      return .overflow(approximate: negative ? -approximate : approximate, signed: signed)
    }
    return .value(magnitude: magnitude, negative: negative, signed: signed)
  }

  /// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
  static func isYAMLStyleFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = s.count
    func isDigit(_ i: Int) -> Bool { i < n && s[i] >= 48 && s[i] <= 57 }
    if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
    if i < n && s[i] == UInt8(ascii: ".") {
      i += 1
      guard isDigit(i) else { return false }
      while isDigit(i) { i += 1 }
    } else {
      guard isDigit(i) else { return false }
      while isDigit(i) { i += 1 }
      if i < n && s[i] == UInt8(ascii: ".") {
        i += 1
        while isDigit(i) { i += 1 }
      }
    }
    if i < n && (s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E")) {
      i += 1
      if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
      guard isDigit(i) else { return false }
      while isDigit(i) { i += 1 }
    }
    return i == n
  }

  /// Parses text already known to match the float pattern (strtod, correctly rounded).
  private static func parseDouble(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
    Double(String(decoding: s, as: UTF8.self))
  }

  /// The value of a scalar with an explicit tag, as go-yaml v2's `resolve(tag, text)` does it.
  static func resolveTagged(
    _ text: String, tag: String, at location: @autoclosure () -> YAMLLocation
  )
    throws(YAMLError) -> JSONValue
  {
    let short = tag.hasPrefix(tagPrefix) ? "!!" + tag.dropFirst(tagPrefix.count) : tag
    var copy = text
    let resolved = copy.withUTF8 { resolvePlain(bytes: $0) }
    func mismatch() -> YAMLError { .invalidTaggedValue(tag: short, value: text, location()) }
    switch short {
    case "!!str":
      return .string(text)
    case "!!binary":
      guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
        throw mismatch()
      }
      return .string(String(decoding: data, as: UTF8.self))
    case "!!null":
      guard resolved == .null else { throw mismatch() }
      return .null
    case "!!bool":
      guard case .bool(let value) = resolved else { throw mismatch() }
      return .bool(value)
    case "!!int":
      switch resolved {
      case .int(let value): return .int(value)
      case .bigInt(let value): return .double(value)
      default: throw mismatch()
      }
    case "!!float":
      switch resolved {
      case .int(let value): return .double(Double(value))
      case .bigInt(let value), .double(let value): return .double(value)
      default: throw mismatch()
      }
    case "!!timestamp":
      // go-yaml yields a time.Time, which sigs.k8s.io/yaml turns back into a string. Its formats all
      // start with a four-digit year and a dash.
      let prefix = Array(text.utf8.prefix(5))
      guard prefix.count == 5, prefix[0..<4].allSatisfy({ $0 >= 48 && $0 <= 57 }),
        prefix[4] == UInt8(ascii: "-")
      else { throw mismatch() }
      return .string(text)
    default:
      return .string(text)
    }
  }
}
