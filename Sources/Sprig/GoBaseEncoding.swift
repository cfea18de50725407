/// Go's `encoding/base64` and `encoding/base32` standard encodings, decoded as Go decodes them
/// (reporting the offset of the first bad byte).
/// Go's `base64.StdEncoding` decoding.
enum Base64 {
  enum Outcome {
    case success([UInt8])
    case failure(Int)
  }

  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Decodes as Go's `decodeQuantum` does, quantum by quantum, so that the reported offset of a
  /// bad byte is Go's.
  static func decode(_ text: String) -> Outcome {
    let input = Array(text.utf8)
    var lookup = [Int](repeating: -1, count: 256)
    for (index, byte) in alphabet.enumerated() { lookup[Int(byte)] = index }
    let pad = UInt8(ascii: "=")
    func isNewline(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
    var output: [UInt8] = []
    var index = 0
    while index < input.count {
      var quantum = [Int](repeating: 0, count: 4)
      var length = 4
      var finished = false
      var position = 0
      while position < 4 {
        if index == input.count {
          if position == 0 { return .success(output) }
          return .failure(index - position)
        }
        let byte = input[index]
        index += 1
        let value = lookup[Int(byte)]
        if value >= 0 {
          quantum[position] = value
          position += 1
          continue
        }
        if isNewline(byte) { continue }
        if byte != pad { return .failure(index - 1) }
        if position < 2 { return .failure(index - 1) }
        if position == 2 {
          while index < input.count && isNewline(input[index]) { index += 1 }
          if index == input.count { return .failure(input.count) }
          if input[index] != pad { return .failure(index - 1) }
          index += 1
        }
        while index < input.count && isNewline(input[index]) { index += 1 }
        if index < input.count { return .failure(index) }
        length = position
        finished = true
        break
      }
      let bits = quantum.reduce(0) { $0 << 6 | $1 }
      let bytes = [UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
      output += bytes.prefix(length - 1)
      if finished { break }
    }
    return .success(output)
  }
}

/// Go's `base32.StdEncoding` (RFC 4648 alphabet, padded).
enum Base32 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let chunk = Array(bytes[index..<min(index + 5, bytes.count)])
      var buffer: UInt64 = 0
      for (offset, byte) in chunk.enumerated() { buffer |= UInt64(byte) << (32 - 8 * offset) }
      let characters = [2, 4, 5, 7, 8][chunk.count - 1]
      for position in 0..<8 {
        if position < characters {
          output.append(alphabet[Int(buffer >> (35 - 5 * position) & 0x1F)])
        } else {
          output.append(UInt8(ascii: "="))
        }
      }
      index += 5
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes as Go's `base32.Encoding.decode` does (newlines removed first), so that the
  /// reported offset of a bad byte is Go's.
  static func decode(_ text: String) -> Base64.Outcome {
    let input = Array(text.utf8).filter { $0 != 0x0A && $0 != 0x0D }
    var lookup = [Int](repeating: -1, count: 256)
    for (index, byte) in alphabet.enumerated() { lookup[Int(byte)] = index }
    let total = input.count
    var source = input[...]
    var output: [UInt8] = []
    var end = false
    while !source.isEmpty && !end {
      var quantum = [Int](repeating: 0, count: 8)
      var length = 8
      var position = 0
      while position < 8 {
        guard let byte = source.first else {
          return .failure(total - source.count - position)
        }
        source = source.dropFirst()
        if byte == UInt8(ascii: "=") && position >= 2 && source.count < 8 {
          if source.count + position < 7 { return .failure(total) }
          for offset in 0..<(7 - position) where source.count > offset {
            if source[source.startIndex + offset] != UInt8(ascii: "=") {
              return .failure(total - source.count + offset - 1)
            }
          }
          length = position
          end = true
          if [1, 3, 6].contains(length) { return .failure(total - source.count - 1) }
          break
        }
        let value = lookup[Int(byte)]
        if value < 0 { return .failure(total - source.count - 1) }
        quantum[position] = value
        position += 1
      }
      let bits = quantum.reduce(UInt64(0)) { $0 << 5 | UInt64($1) }
      let count = [0, 0, 1, 0, 2, 3, 0, 4, 5][length]
      for offset in 0..<count { output.append(UInt8(bits >> (32 - 8 * offset) & 0xFF)) }
    }
    return .success(output)
  }
}
