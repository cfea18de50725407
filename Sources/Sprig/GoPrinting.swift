import GoTemplate

/// Go's `fmt.Sprintf("%v", value)`, which Sprig's `toString`, `cat`, `quote`, `join` and `dict`
/// keys use.
///
/// GoTemplate keeps its formatter internal; rather than duplicate Go's float and composite
/// printing, this runs GoTemplate's own `printf "%v"` so both modules print values identically.
enum GoPrinting {
  private static let printer: TemplateSet = {
    var set = TemplateSet(name: "sprig-printer")
    // The source is a constant that parses; a failure here is a GoTemplate bug.
    try! set.parse(name: "v", source: #"{{ printf "%v" . }}"#)
    return set
  }()

  /// `fmt.Sprintf("%v", value)`.
  static func format(_ value: TemplateValue) -> String {
    (try? printer.execute(name: "v", data: value.isNilValue ? .null : value)) ?? "<nil>"
  }

  /// Sprig's `strval`: strings as they are, anything else as `%v` prints it (which for values
  /// with a Go `String()` method, such as `time.Time`, is that method's result).
  static func string(_ value: TemplateValue) -> String {
    if case .string(let string) = value { return string }
    return format(value)
  }

  private static let quoter: TemplateSet = {
    var set = TemplateSet(name: "sprig-quoter")
    try! set.parse(name: "q", source: #"{{ printf "%q" . }}"#)
    return set
  }()

  /// `fmt.Sprintf("%q", string)`: Go's double-quoted string literal.
  static func quote(_ string: String) -> String {
    (try? quoter.execute(name: "q", data: .string(string))) ?? "\"\(string)\""
  }
}
