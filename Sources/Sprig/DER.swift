/// The few ASN.1 DER encodings and decodings that Sprig's certificate functions need.
enum DER {
  static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    var length: [UInt8]
    if content.count < 0x80 {
      length = [UInt8(content.count)]
    } else {
      var bytes: [UInt8] = []
      var count = content.count
      while count > 0 {
        bytes.insert(UInt8(count & 0xFF), at: 0)
        count >>= 8
      }
      length = [0x80 | UInt8(bytes.count)] + bytes
    }
    return [tag] + length + content
  }

  static func sequence(_ items: [UInt8]...) -> [UInt8] { tlv(0x30, items.flatMap { $0 }) }
  static func set(_ items: [UInt8]...) -> [UInt8] { tlv(0x31, items.flatMap { $0 }) }
  static func octetString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }
  static func bitString(_ bytes: [UInt8], unusedBits: UInt8 = 0) -> [UInt8] {
    tlv(0x03, [unusedBits] + bytes)
  }
  static func boolean(_ value: Bool) -> [UInt8] { tlv(0x01, [value ? 0xFF : 0x00]) }
  static let null: [UInt8] = [0x05, 0x00]
  /// An explicit context-specific tag `[number]` around `content`.
  static func explicit(_ number: UInt8, _ content: [UInt8]) -> [UInt8] {
    tlv(0xA0 | number, content)
  }

  /// A non-negative INTEGER from big-endian magnitude bytes.
  static func integer(_ magnitude: [UInt8]) -> [UInt8] {
    var bytes = Array(magnitude.drop { $0 == 0 })
    if bytes.isEmpty { bytes = [0] }
    if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
    return tlv(0x02, bytes)
  }

  static func objectIdentifier(_ components: [UInt]) -> [UInt8] {
    var bytes: [UInt8] = [UInt8(components[0] * 40 + components[1])]
    for component in components.dropFirst(2) {
      var chunk: [UInt8] = [UInt8(component & 0x7F)]
      var rest = component >> 7
      while rest > 0 {
        chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
        rest >>= 7
      }
      bytes += chunk
    }
    return tlv(0x06, bytes)
  }

  /// Go's choice for a certificate name: PrintableString when every character allows it,
  /// UTF8String otherwise.
  static func directoryString(_ text: String) -> [UInt8] {
    let printable = text.unicodeScalars.allSatisfy {
      $0.isASCII
        && (Character($0).isLetter || Character($0).isNumber
          || " '()+,-./:=?".unicodeScalars.contains($0))
    }
    return tlv(printable ? 0x13 : 0x0C, Array(text.utf8))
  }

  /// UTCTime for 1950 through 2049, GeneralizedTime otherwise (RFC 5280).
  static func time(_ time: GoTime) -> [UInt8] {
    let civil = time.in(.utc).civil
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
    let rest =
      two(civil.month) + two(civil.day) + two(civil.hour) + two(civil.minute) + two(civil.second)
      + "Z"
    if (1950..<2050).contains(civil.year) {
      return tlv(0x17, Array((two(civil.year % 100) + rest).utf8))
    }
    return tlv(0x18, Array((String(civil.year) + rest).utf8))
  }

  /// One decoded element: its tag, its content, and all its bytes.
  struct Element {
    var tag: UInt8
    var content: ArraySlice<UInt8>
    var encoded: ArraySlice<UInt8>
  }

  /// Why bytes are not the DER expected.
  struct DecodingError: Error {
    let message: String
  }

  /// Reads the element at the start of `bytes` and advances past it.
  static func read(_ bytes: inout ArraySlice<UInt8>) throws -> Element {
    let start = bytes.startIndex
    guard bytes.count >= 2 else {
      throw DecodingError(message: "asn1: syntax error: data truncated")
    }
    let tag = bytes[start]
    var index = start + 1
    var length = Int(bytes[index])
    index += 1
    if length & 0x80 != 0 {
      let count = length & 0x7F
      guard count > 0, count <= 4, index + count <= bytes.endIndex else {
        throw DecodingError(message: "asn1: syntax error: invalid length")
      }
      length = 0
      for offset in 0..<count { length = length << 8 | Int(bytes[index + offset]) }
      index += count
    }
    guard index + length <= bytes.endIndex else {
      throw DecodingError(message: "asn1: syntax error: data truncated")
    }
    let element = Element(
      tag: tag, content: bytes[index..<(index + length)], encoded: bytes[start..<(index + length)])
    bytes = bytes[(index + length)...]
    return element
  }
}
