import GoNumbers

/// JSON text written value by value, as Go's `encoding/json` writes it: numbers in Go's form
/// (`1e+21`, `1e-7`, integral doubles without a fraction), strings escaped as `escaping` says,
/// commas placed for the caller, and `json.MarshalIndent`'s layout when `indent` is given. The one
/// JSON writer of the project: the tree writers (`JSONWriter` for `JSONValue`, Sprig's `toJson`
/// for template values) and the log handler walk their values into it.
///
/// The calls must form one JSON value: a key before each member of an object, containers closed in
/// order.
public struct JSONOutput: Sendable {
  /// The text so far.
  public private(set) var bytes: [UInt8] = []
  private let escaping: JSONStringEscaping
  private let indent: [UInt8]?
  /// One entry per open container: whether it has a member yet (and so needs a comma).
  private var openContainers: [Bool] = []
  /// A key was written and its value comes next: no comma, no new line.
  private var awaitingValue = false

  /// - Parameter indent: one level's indentation (`json.MarshalIndent(value, "", indent)`); nil
  ///   writes compact JSON.
  public init(escaping: JSONStringEscaping = .required, indent: String? = nil) {
    self.escaping = escaping
    self.indent = indent.map { Array($0.utf8) }
    bytes.reserveCapacity(256)
  }

  /// The text so far, as a String.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  public mutating func writeNull() {
    startValue()
    bytes += "null".utf8
  }

  public mutating func write(_ flag: Bool) {
    startValue()
    bytes += (flag ? "true" : "false").utf8
  }

  public mutating func write(_ number: some BinaryInteger) {
    startValue()
    bytes += String(number).utf8
  }

  /// A finite double, in Go's float text. JSON has no NaN or infinities: the caller decides
  /// whether they are an error (Go's choice) or null.
  public mutating func write(_ number: Double) {
    precondition(number.isFinite, "JSON has no NaN or infinities")
    startValue()
    bytes += GoFloat.jsonText(number).utf8
  }

  public mutating func write(_ text: String) {
    startValue()
    escaping.appendQuoted(text, to: &bytes)
  }

  public mutating func beginArray() { open(UInt8(ascii: "[")) }
  public mutating func endArray() { close(UInt8(ascii: "]")) }
  public mutating func beginObject() { open(UInt8(ascii: "{")) }
  public mutating func endObject() { close(UInt8(ascii: "}")) }

  /// The key of the object member whose value is written next.
  public mutating func writeKey(_ key: String) {
    startValue()
    escaping.appendQuoted(key, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    if indent != nil { bytes.append(UInt8(ascii: " ")) }
    awaitingValue = true
  }

  /// Separates this value from the previous member of its container.
  private mutating func startValue() {
    if awaitingValue {
      awaitingValue = false
      return
    }
    guard let last = openContainers.indices.last else { return }
    if openContainers[last] { bytes.append(UInt8(ascii: ",")) }
    openContainers[last] = true
    newLine()
  }

  private mutating func open(_ bracket: UInt8) {
    startValue()
    bytes.append(bracket)
    openContainers.append(false)
  }

  private mutating func close(_ bracket: UInt8) {
    // An empty container stays on one line (`[]`, `{}`), as in Go.
    if openContainers.removeLast() { newLine() }
    bytes.append(bracket)
  }

  private mutating func newLine() {
    guard let indent else { return }
    bytes.append(UInt8(ascii: "\n"))
    for _ in 0..<openContainers.count { bytes += indent }
  }
}
