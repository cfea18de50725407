import Testing
import YAML

/// parse(emit(x)) == x for generated values: a seeded generator (deterministic, so a failure
/// reproduces), biased towards the texts and numbers that need quoting or special formatting.
@Suite struct RoundTripTests {
  @Test(arguments: 0..<400)
  func emittedYAMLReadsBackAsTheSameValue(seed: Int) throws {
    var generator = ValueGenerator(seed: UInt64(seed))
    let value = generator.value(depth: 0)
    let text = YAML.dump(value)
    #expect(try YAML.loadOne(text) == value, "seed \(seed):\n\(text)")
    let sorted = YAML.dump(value, sortKeys: true)
    #expect(try YAML.loadOne(sorted) == value, "seed \(seed), sorted:\n\(sorted)")
    let viaNodes = try YAMLParser.parseDocuments(text).map { try JSONValue(yaml: $0) }
    #expect(viaNodes == [value])
  }

  @Test(arguments: 0..<50)
  func streamsReadBackAsTheSameDocuments(seed: Int) throws {
    var generator = ValueGenerator(seed: UInt64(1_000 + seed))
    let documents = (0..<generator.int(in: 0...4)).map { _ in generator.value(depth: 1) }
    let text = YAML.dumpAll(documents)
    #expect(try YAML.load(text) == documents, "seed \(seed):\n\(text)")
  }

  @Test(arguments: [
    "on", "off", "yes", "no", "y", "n", "true", "True", "null", "~", "", " ", "  x  ", "123", "-1",
    "0x1F", "0o17", "017", "1e3", "1.", ".5", ".inf", "-.inf", ".nan", "1:20", "2024-01-15",
    "2024-01-15T10:00:00Z", "a: b", "a #b", "#", "-", "--- x", "...", "- a", "? a", "[a]", "{a}",
    "&a", "*a", "!a", "|", ">", "'", "\"", "%", "@", "`", "\\", "a\nb", "a\n", "\n", "\n\n",
    " a\nb",
    "a \nb", "a\r\nb", "a\rb", "line\u{2028}sep", "next\u{85}line", "\u{FEFF}bom", "tab\tx",
    "\u{0}", "\u{7F}", "é", "😀", "<<", "=", "1_000", "+.inf", "0b101", "1e400",
  ])
  func trickyStringsReadBack(text: String) throws {
    let value: JSONValue = [text: .string(text), "list": [.string(text)]]
    let emitted = YAML.dump(value)
    #expect(try YAML.loadOne(emitted) == value, "\(emitted)")
  }
}

/// SplitMix64: small, fast and good enough to drive a test generator.
struct ValueGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func int(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.count))
  }

  static let fragments = [
    "a", "web", " ", ":", ": ", " #", "#", "-", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|",
    ">",
    "'", "\"", "%", "@", "`", "\\", "\n", "\t", "\r", "yes", "on", "null", "~", "1", "0x", "1.5",
    "e3", ".", "_", "é", "😀", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{1}", "<<", "---", "...", "0",
  ]

  mutating func string() -> String {
    (0..<int(in: 0...6)).map { _ in Self.fragments[int(in: 0...(Self.fragments.count - 1))] }
      .joined()
  }

  mutating func double() -> Double {
    switch int(in: 0...7) {
    case 0: return [Double.infinity, -.infinity, .nan, 0, -0.0, 1, 1e21, 1e6][int(in: 0...7)]
    case 1: return Double(int(in: -1_000...1_000))
    case 2: return Double(int(in: -1_000_000...1_000_000)) / 1_000
    default:
      let bits = next()
      let value = Double(bitPattern: bits)
      return value.isNaN ? 0.25 : value
    }
  }

  mutating func value(depth: Int) -> JSONValue {
    let maximum = depth >= 4 ? 5 : 7
    switch int(in: 0...maximum) {
    case 0: return .null
    case 1: return .bool(next() % 2 == 0)
    case 2:
      return .int(
        [Int.min, Int.max, 0, -1, int(in: -100...100), Int(truncatingIfNeeded: next())][
          int(in: 0...5)])
    case 3: return .double(double())
    case 4, 5: return .string(string())
    case 6:
      return .array((0..<int(in: 0...4)).map { _ in value(depth: depth + 1) })
    default:
      var object = OrderedDictionaryBuilder()
      for _ in 0..<int(in: 0...4) { object.add(string(), value(depth: depth + 1)) }
      return object.value
    }
  }
}

/// Collects key/value pairs, the last value winning for a repeated key.
struct OrderedDictionaryBuilder {
  private var pairs: [(String, JSONValue)] = []
  mutating func add(_ key: String, _ value: JSONValue) {
    if let index = pairs.firstIndex(where: { $0.0 == key }) {
      pairs[index].1 = value
    } else {
      pairs.append((key, value))
    }
  }
  var value: JSONValue {
    var object: JSONValue = [:]
    if case .object(var dictionary) = object {
      for (key, value) in pairs { dictionary[key] = value }
      object = .object(dictionary)
    }
    return object
  }
}
