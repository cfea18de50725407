import Foundation
import YAML

/// Kubernetes resource quantities (`100m`, `1.5`, `256Mi`, `1G`, `1e3`), as numbers of the base unit:
/// cores for CPU, bytes for memory. The suffixes are those of `k8s.io/apimachinery`'s `Quantity`.
public enum ResourceQuantity {
  private static let binary: [String: Double] = [
    "Ki": 0x1p10, "Mi": 0x1p20, "Gi": 0x1p30, "Ti": 0x1p40, "Pi": 0x1p50, "Ei": 0x1p60,
  ]
  private static let decimal: [String: Double] = [
    "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
    "E": 1e18,
  ]

  /// The quantity in its base unit, or nil when it is not a quantity.
  public static func parse(_ value: JSONValue) -> Double? {
    if let number = value.doubleValue, value.stringValue == nil { return number }
    guard let text = value.stringValue else { return nil }
    return parse(text)
  }

  /// The quantity in its base unit, or nil when `text` is not a quantity.
  public static func parse(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return nil }
    let numberEnd =
      trimmed.firstIndex { !($0.isNumber || $0 == "." || $0 == "+" || $0 == "-") }
      ?? trimmed.endIndex
    guard let number = Double(trimmed[..<numberEnd]) else { return nil }
    let suffix = String(trimmed[numberEnd...])
    if let factor = binary[suffix] ?? decimal[suffix] { return number * factor }
    // An exponent: 1e3, 1E-3.
    if suffix.first == "e" || suffix.first == "E", let exponent = Int(suffix.dropFirst()) {
      return number * pow(10, Double(exponent))
    }
    return nil
  }

  /// Millicores as Kubernetes writes them (`1400m`).
  public static func formatCPU(_ cores: Double) -> String {
    "\(Int((cores * 1000).rounded()))m"
  }

  /// Bytes in mebibytes (`3200Mi`), the unit the environment's numbers use.
  public static func formatMemory(_ bytes: Double) -> String {
    "\(Int((bytes / 0x1p20).rounded()))Mi"
  }
}
