import Testing
import YAML

/// Output style: go-yaml v2's (what Helm's toYaml and kubectl print), checked byte for byte.
@Suite struct EmitterTests {
  @Test func blockStyleWithUnindentedSequencesInMappings() {
    let value: JSONValue = [
      "apiVersion": "v1",
      "spec": ["ports": [["port": 80, "name": "http"]], "selector": ["app": "web"]],
      "args": ["--verbose", "-x"],
      "empty": [:], "none": [], "nothing": nil, "ratio": 0.5, "on": true,
    ]
    let expected = """
      apiVersion: v1
      spec:
        ports:
        - port: 80
          name: http
        selector:
          app: web
      args:
      - --verbose
      - -x
      empty: {}
      none: []
      nothing: null
      ratio: 0.5
      "on": true

      """
    #expect(YAML.dump(value) == expected)
  }

  @Test func nestedSequences() {
    let value: JSONValue = [[1, 2], [], [["a": [3]]]]
    #expect(YAML.dump(value) == "- - 1\n  - 2\n- []\n- - a:\n    - 3\n")
  }

  static let quotingCases: [(String, String)] = [
    ("plain", "plain"), ("on", "\"on\""), ("Yes", "\"Yes\""), ("y", "\"y\""), ("123", "\"123\""),
    ("1.5", "\"1.5\""), ("0x1F", "\"0x1F\""), ("null", "\"null\""), ("~", "\"~\""), ("", "\"\""),
    ("2024-01-15", "\"2024-01-15\""), ("1:20", "\"1:20\""), (".inf", "\".inf\""),
    (" lead", "' lead'"), ("trail ", "'trail '"), ("a: b", "'a: b'"), ("a #b", "'a #b'"),
    ("- x", "'- x'"), ("-x", "-x"), ("?x", "?x"), (":x", ":x"), ("? x", "'? x'"), (": x", "': x'"),
    (",x", "',x'"),
    ("[x", "'[x'"), ("]x", "']x'"), ("{x", "'{x'"), ("}x", "'}x'"), ("&x", "'&x'"),
    ("*x", "'*x'"), ("!x", "'!x'"), ("|x", "'|x'"), (">x", "'>x'"), ("'x", "'''x'"),
    ("\"x", "'\"x'"), ("%x", "'%x'"), ("@x", "'@x'"), ("`x", "'`x'"), ("#x", "'#x'"),
    ("a'b", "a'b"), ("tab\there", "\"tab\\there\""), ("héllo wörld", "héllo wörld"),
    ("http://x.y/z?q=1", "http://x.y/z?q=1"), ("a:b", "a:b"), ("2024-13-45", "2024-13-45"),
  ]

  @Test(arguments: quotingCases)
  func stringsAreQuotedOnlyWhenNeeded(text: String, written: String) throws {
    #expect(YAML.dump(["k": .string(text)]) == "k: \(written)\n")
    #expect(try YAML.loadOne(YAML.dump(["k": .string(text)])) == ["k": .string(text)])
  }

  /// A `|+` block at the very end is followed by `...`, as libyaml and go-yaml both write it.
  @Test func multiLineStringsUseLiteralBlocksWithChomping() throws {
    let value: JSONValue = ["clip": "a\nb\n", "strip": "a\nb", "keep": "a\nb\n\n"]
    #expect(
      YAML.dump(value) == "clip: |\n  a\n  b\nstrip: |-\n  a\n  b\nkeep: |+\n  a\n  b\n\n...\n")
    #expect(try YAML.loadOne(YAML.dump(value)) == value)
    let leadingSpace: JSONValue = ["k": "  indented\nnext\n"]
    #expect(YAML.dump(leadingSpace) == "k: |2\n    indented\n  next\n")
    #expect(try YAML.loadOne(YAML.dump(leadingSpace)) == leadingSpace)
  }

  @Test func numbersReadBackAsTheSameKind() throws {
    let value: JSONValue = [
      "int": 3, "negative": -7, "double": 1.0, "big": 1e21, "small": 1.5e-7, "million": 1e6,
      "inf": .double(.infinity), "ninf": .double(-.infinity), "nan": .double(.nan),
    ]
    let text = YAML.dump(value)
    #expect(
      text == """
        int: 3
        negative: -7
        double: 1.0
        big: 1e+21
        small: 1.5e-07
        million: 1e+06
        inf: .inf
        ninf: -.inf
        nan: .nan

        """)
    #expect(try YAML.loadOne(text) == value)
  }

  /// go-yaml's keyList.Less: non-letters before letters, digit runs compared as numbers.
  @Test func sortedKeysFollowGoYAMLOrder() {
    let value: JSONValue = [
      "b": 1, "a10": 2, "a2": 3, "A": 4, "_x": 5, "a": 6, "item": 7, "item1": 8,
    ]
    #expect(
      YAML.dump(value, sortKeys: true)
        == "_x: 5\nA: 4\na: 6\na2: 3\na10: 2\nb: 1\nitem: 7\nitem1: 8\n")
  }

  @Test func multipleDocuments() throws {
    let documents: [JSONValue] = [["a": 1], "x", nil, []]
    let text = YAML.dumpAll(documents)
    #expect(text == "a: 1\n--- x\n--- null\n--- []\n")
    #expect(try YAML.load(text) == documents)
  }

  @Test func longPlainStringsFoldAtEightyColumnsAsGoYAMLDoes() throws {
    let long = Array(repeating: "word", count: 30).joined(separator: " ")
    let text = YAML.dump(["k": .string(long)])
    #expect(text.split(separator: "\n").count == 2)
    #expect(try YAML.loadOne(text) == ["k": .string(long)])
    #expect(YAMLEmitter(lineWidth: nil).emit([["k": .string(long)]]) == "k: \(long)\n")
  }

  @Test func mergeKeyNameIsQuotedSoItStaysAKey() throws {
    let value: JSONValue = ["<<": ["a": 1]]
    #expect(YAML.dump(value) == "\"<<\":\n  a: 1\n")
    #expect(try YAML.loadOne(YAML.dump(value)) == value)
  }
}

/// Doubles are written with Go's `strconv.FormatFloat(f, 'g', -1, 64)` (go-yaml v2's choice), plus
/// `.0` on integral values so they read back as doubles.
@Suite struct FloatFormattingTests {
  static let cases: [(Double, String)] = [
    (123_456, "123456.0"), (1_234_567, "1.234567e+06"), (0.0001, "0.0001"), (0.00001, "1e-05"),
    (1e21, "1e+21"), (100.5, "100.5"), (-2.5e-10, "-2.5e-10"),
    (Double.leastNonzeroMagnitude, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (-0.0, "-0.0"), (0.1, "0.1"),
    (1.0 / 3.0, "0.3333333333333333"), (999_999, "999999.0"), (1e100, "1e+100"),
  ]

  @Test(arguments: cases)
  func goStyleText(value: Double, text: String) throws {
    #expect(YAML.dump(.double(value)) == "\(text)\n")
    #expect(try YAML.loadOne(text) == .double(value))
  }

  /// sigs.k8s.io/yaml turns float keys into text with 32-bit precision.
  @Test func floatKeysUseThirtyTwoBitPrecision() throws {
    #expect(try YAML.loadOne("0.1: a\n1.0: b\n1e7: c\n") == ["0.1": "a", "1": "b", "1e+07": "c"])
  }
}
