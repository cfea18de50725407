extension GoFloat {
  /// The text Go's `encoding/json` writes for a float64: the shortest `%f` form, or the shortest
  /// `%e` form below 1e-6 and from 1e21 on, its exponent trimmed of a leading zero when negative
  /// (`1e-7` but `1e+21`), as JavaScript prints numbers.
  ///
  /// JSON has no NaN or infinities; Go refuses them and so must a caller writing JSON. For them
  /// this gives `NaN`, `+Inf` and `-Inf`, which is what a message quoting the value should show.
  public static func jsonText(_ value: Double) -> String {
    let magnitude = abs(value)
    let exponentForm = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
    let text = format(value, exponentForm ? "e" : "f", precision: -1)
    guard exponentForm else { return text }
    // "1e-07" becomes "1e-7".
    var bytes = Array(text.utf8)
    let count = bytes.count
    if count >= 4 && bytes[count - 4] == UInt8(ascii: "e") && bytes[count - 3] == UInt8(ascii: "-")
      && bytes[count - 2] == UInt8(ascii: "0")
    {
      bytes.remove(at: count - 2)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
