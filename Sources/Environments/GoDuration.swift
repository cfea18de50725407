/// Go's `time.ParseDuration` format (`90s`, `1m30s`, `1.5h`, `300ms`), which Kubernetes and Argo CD
/// users write durations in.
public enum GoDuration {
  /// The duration in seconds; `field` names the setting in the error.
  public static func seconds(_ text: String, field: String) throws(EnvironmentError) -> Double {
    let units: [(String, Double)] = [
      ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]
    var rest = Substring(text)
    var total = 0.0
    guard !rest.isEmpty else { throw .invalidDuration(field: field, text: text) }
    if rest == "0" { return 0 }
    while !rest.isEmpty {
      let number = rest.prefix { $0.isNumber || $0 == "." }
      guard let value = Double(number) else { throw .invalidDuration(field: field, text: text) }
      rest = rest.dropFirst(number.count)
      let unitText = rest.prefix { !($0.isNumber || $0 == ".") }
      guard let unit = units.first(where: { $0.0 == unitText }) else {
        throw .invalidDuration(field: field, text: text)
      }
      rest = rest.dropFirst(unitText.count)
      total += value * unit.1
    }
    return total
  }
}
