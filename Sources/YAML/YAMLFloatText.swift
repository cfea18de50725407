import GoNumbers

/// The text of a float in YAML as go-yaml v2 and sigs.k8s.io/yaml write it: Go's `%g` shortest form
/// (`1e+06`, `1.5e-07`, `123456`, `0.001`), with YAML's spellings of the values without digits.
/// Matching them keeps our output byte-identical to theirs.
enum YAMLFloatText {
  /// go-yaml v2's float text: `FormatFloat(value, 'g', -1, 64)`, or `.inf`, `-.inf`, `.nan`.
  static func value(_ value: Double) -> String {
    text(value, bitSize: 64)
  }

  /// sigs.k8s.io/yaml's text for a float map key: `FormatFloat(key, 'g', -1, 32)`.
  static func key(_ value: Double) -> String {
    text(value, bitSize: 32)
  }

  private static func text(_ value: Double, bitSize: Int) -> String {
    if value.isNaN { return ".nan" }
    if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
    return GoFloat.format(value, "g", precision: -1, bitSize: bitSize)
  }
}
