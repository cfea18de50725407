import Testing
import YAML

/// go-yaml v2's resolution table (sigs.k8s.io/yaml's goyaml.v2/resolve.go), one row per spelling.
@Suite struct ScalarResolutionTests {
  static let plainCases: [(String, JSONValue)] = [
    ("", .null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
    ("nULL", "nULL"),
    ("true", true), ("True", true), ("TRUE", true), ("tRUE", "tRUE"),
    ("false", false), ("False", false), ("FALSE", false),
    ("yes", true), ("Yes", true), ("YES", true), ("yEs", "yEs"), ("y", true), ("Y", true),
    ("no", false), ("No", false), ("NO", false), ("n", false), ("N", false),
    ("on", true), ("On", true), ("ON", true), ("oN", "oN"),
    ("off", false), ("Off", false), ("OFF", false),
    ("0", 0), ("12", 12), ("+12", 12), ("-12", -12), ("1_000", 1000), ("-0", 0),
    ("0x1F", 31), ("0X1f", 31), ("-0x1F", -31), ("0o17", 15), ("0O17", 15), ("017", 15),
    ("-017", -15), ("0b101", 5), ("-0b101", -5), ("+0b101", 5),
    ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
    ("9223372036854775808", .double(9_223_372_036_854_775_808)),
    ("18446744073709551616", .double(18_446_744_073_709_551_616)),
    ("0xFFFFFFFFFFFFFFFF", .double(Double(UInt64.max))),
    ("0x1FFFFFFFFFFFFFFFF", .double(0x1p65)),
    ("-0x8000000000000001", "-0x8000000000000001"),
    ("1.5", 1.5), ("1.", 1.0), (".5", 0.5), ("-.5", -0.5), ("+1.5", 1.5), ("-1.5e3", -1500.0),
    ("1e3", 1000.0), ("1E3", 1000.0), ("1_0.5", 10.5), ("09", 9.0), ("0.0", 0.0),
    ("1e400", "1e400"), (".5e400", ".5e400"), ("._5", "._5"),
    (".inf", .double(.infinity)), (".Inf", .double(.infinity)), (".INF", .double(.infinity)),
    ("+.inf", .double(.infinity)), ("-.inf", .double(-.infinity)), ("-.INF", .double(-.infinity)),
    (".nan", .double(.nan)), (".NaN", .double(.nan)), (".NAN", .double(.nan)), (".nAn", ".nAn"),
    ("2024-01-15", "2024-01-15"), ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("1:20", "1:20"), ("0x", "0x"), ("-x", "-x"), ("+", "+"), ("1.2.3", "1.2.3"), ("0b2", "0b2"),
    ("<<", "<<"), ("hello", "hello"), ("true_story", "true_story"), ("1e", "1e"),
  ]

  @Test(arguments: plainCases)
  func plainScalar(text: String, expected: JSONValue) throws {
    #expect(ScalarResolver.resolvePlain(text) == expected)
    // And through the parser, as a mapping value and as the whole document.
    #expect(try YAML.loadOne("k: \(text)\n") == ["k": expected])
    if !text.isEmpty { #expect(try YAML.loadOne(text) == expected) }
  }

  static let writtenCases: [(String, JSONValue)] = [
    ("'true'", "true"), ("\"123\"", "123"), ("''", ""), ("\"null\"", "null"), ("'~'", "~"),
    ("|\n  yes\n", "yes\n"), (">-\n  12\n", "12"),
    ("!!str 123", "123"), ("!!str true", "true"), ("!!str", ""), ("!!int \"12\"", 12),
    ("!!int 0x10", 16), ("!!float 1", 1.0), ("!!float '2.5'", 2.5), ("!!bool \"yes\"", true),
    ("!!null ''", .null), ("!!null ~", .null), ("!!binary aGVsbG8=", "hello"),
    ("!!timestamp 2001-12-14", "2001-12-14"), ("!custom 12", "12"), ("! 12", "12"),
    ("!!int 18446744073709551615", .double(Double(UInt64.max))),
  ]

  @Test(arguments: writtenCases)
  func styledOrTaggedScalar(text: String, expected: JSONValue) throws {
    #expect(try YAML.loadOne(text) == expected)
  }

  @Test(arguments: ["!!int abc", "!!bool 1", "!!null x", "!!float yes", "!!binary '%%%'"])
  func tagThatDoesNotFitIsAnError(text: String) {
    #expect(throws: YAMLError.self) { try YAML.loadOne("v: \(text)", file: "t.yaml") }
  }

  @Test func tagMismatchNamesPlaceAndTag() {
    #expect(
      throws: YAMLError.invalidTaggedValue(
        tag: "!!int", value: "abc",
        YAMLLocation(file: "t.yaml", mark: Mark(line: 2, column: 4)))
    ) { try YAML.loadOne("a: 1\nb: !!int abc\n", file: "t.yaml") }
  }

  @Test func keysBecomeJSONStrings() throws {
    let value = try YAML.loadOne("1: a\ntrue: b\n1.5: c\nyes_no: d\n0x10: e\n")
    #expect(value == ["1": "a", "true": "b", "1.5": "c", "yes_no": "d", "16": "e"])
  }

  @Test func nullKeyIsRejected() {
    #expect(throws: YAMLError.self) { try YAML.loadOne("~: a\n") }
    #expect(throws: YAMLError.self) { try YAML.loadOne("[a]: b\n") }
  }
}
