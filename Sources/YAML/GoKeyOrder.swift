/// The order go-yaml v2 gives map keys when it marshals a Go map (its `keyList.Less`), which is what
/// Helm's `toYaml` prints. Letters sort before other characters, and runs of digits compare as
/// numbers, so `a2` comes before `a10` and `item` before `item1`.
enum GoKeyOrder {
  static func sorted(_ keys: some Sequence<String>) -> [String] {
    keys.map { (key: $0, scalars: Array($0.unicodeScalars)) }
      .sorted { less($0.scalars, $1.scalars) }
      .map(\.key)
  }

  static func less(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
    var i = 0
    while i < a.count && i < b.count {
      defer { i += 1 }
      if a[i] == b[i] { continue }
      let aLetter = isLetter(a[i])
      let bLetter = isLetter(b[i])
      if aLetter && bLetter { return a[i].value < b[i].value }
      if aLetter || bLetter { return bLetter }
      var aNumber: Int64 = 0
      var bNumber: Int64 = 0
      if a[i] == "0" || b[i] == "0" {
        // Go checks only the first string's preceding digits here; kept as is for identical order.
        var j = i - 1
        while j >= 0 && isDigit(a[j]) {
          if a[j] != "0" {
            aNumber = 1
            bNumber = 1
            break
          }
          j -= 1
        }
      }
      var ai = i
      while ai < a.count && isDigit(a[ai]) {
        aNumber = aNumber &* 10 &+ (Int64(a[ai].value) &- 48)
        ai += 1
      }
      var bi = i
      while bi < b.count && isDigit(b[bi]) {
        bNumber = bNumber &* 10 &+ (Int64(b[bi].value) &- 48)
        bi += 1
      }
      if aNumber != bNumber { return aNumber < bNumber }
      if ai != bi { return ai < bi }
      return a[i].value < b[i].value
    }
    return a.count < b.count
  }

  /// Go's `unicode.IsLetter`: general category L.
  private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
      return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
    }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      return true
    default:
      return false
    }
  }

  /// Go's `unicode.IsDigit`: general category Nd.
  private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return scalar >= "0" && scalar <= "9" }
    return scalar.properties.generalCategory == .decimalNumber
  }
}
