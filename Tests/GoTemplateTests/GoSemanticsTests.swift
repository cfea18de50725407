import GoTemplate
import Testing

/// Go semantics the Helm oracle cannot show: Go ints and uints (Helm's values are all float64),
/// Go's own `slice` (Helm replaces it with Sprig's), and parse positions.
@Suite("Go semantics beyond Helm's values")
struct GoSemanticsTests {
  @Test("ints and uints compare across signedness as Go does")
  func signedness() throws {
    let data: TemplateValue = ["i": .int(-1), "u": .uint(0), "one": .int(1), "uone": .uint(1)]
    #expect(
      try render("{{ eq .i .u }} {{ lt .i .u }} {{ lt .u .i }} {{ eq .one .uone }}", data)
        == "false true false true")
    #expect(
      try render("{{ le .uone .one }} {{ gt .uone .i }} {{ ge .u .one }}", data)
        == "true true false")
    #expect(
      try render("{{ eq .uone 1 }} {{ printf \"%T %v %d\" .u .uone .uone }}", data)
        == "true uint64 1 1")
    #expect(
      try render("{{ range .uone }}{{ . }}{{ end }}{{ range 2 }}{{ . }}{{ end }}", data) == "001")
  }

  @Test("ints from functions print as ints; floats use %v's shortest form")
  func numbers() throws {
    let data: TemplateValue = [
      "i": .int(8080), "f": .float(8080), "m": .float(1_000_000), "big": .int(Int.max),
      "neg": .int(Int.min),
    ]
    #expect(
      try render("{{ .i }} {{ .f }} {{ .m }} {{ .big }} {{ .neg }}", data)
        == "8080 8080 1e+06 9223372036854775807 -9223372036854775808")
    #expect(
      try render("{{ eq .i 8080 }} {{ printf \"%05d|%x\" .i .neg }}", data)
        == "true 08080|-8000000000000000")
  }

  @Test("Go's slice built-in on lists and strings")
  func slices() throws {
    let data: TemplateValue = ["l": [1, 2, 3, 4], "s": "héllo"]
    #expect(
      try render(
        "{{ slice .l }} {{ slice .l 1 }} {{ slice .l 1 3 }} {{ slice .l 1 2 3 }} {{ slice .l 4 }}",
        data) == "[1 2 3 4] [2 3 4] [2 3] [2] []")
    #expect(try render("{{ slice .s 0 1 }}{{ slice .s 3 }}", data) == "hllo")
    let cases: [(String, String)] = [
      ("{{ slice .s 1 2 3 }}", "cannot 3-index slice a string"),
      ("{{ slice .l 3 1 }}", "invalid slice index: 3 > 1"),
      ("{{ slice .l 1 3 2 }}", "invalid slice index: 3 > 2"),
      ("{{ slice .l 5 }}", "index out of range: 5"),
      ("{{ slice .l 1 2 3 4 }}", "too many slice indexes: 4"),
      ("{{ slice 3 1 }}", "can't slice item of type int"),
      ("{{ slice nil }}", "slice of untyped nil"),
      ("{{ slice .l \"a\" }}", "cannot index slice/array with type string"),
    ]
    for (source, message) in cases {
      #expect(
        renderError(source, data)?.hasSuffix("error calling slice: " + message) == true, "\(source)"
      )
    }
  }

  @Test(
    "parse errors name the file and line; lexer errors inside long actions say where they began")
  func parsePositions() {
    #expect(renderError("a\nb\n{{ .x }") == #"template: t:3: unexpected "}" in operand"#)
    #expect(
      renderError("{{ 1 }}\n{{ if true }}\n{{ end }}\n{{ end }}")
        == "template: t:4: unexpected {{end}}")
    #expect(renderError("{{ if true }}\nx") == "template: t:2: unexpected EOF")
    #expect(renderError("{{ .x\n\n") == "template: t:3: unclosed action started at t:1")
    #expect(renderError("{{ \"a\n\" }}") == "template: t:1: unterminated quoted string")
    #expect(
      renderError("{{ (1\n\n }}") == "template: t:3: unclosed left paren in action started at t:1")
    #expect(renderError("{{ 3x }}") == #"template: t:1: bad number syntax: "3x""#)
    #expect(renderError("{{ 'ab' }}") == "template: t:1: malformed character constant: 'ab'")
    #expect(renderError("{{ 1e400 }}") == #"template: t:1: illegal number syntax: "1e400""#)
    #expect(
      renderError("{{ 99999999999999999999 }}")
        == #"template: t:1: integer overflow: "99999999999999999999""#)
    #expect(renderError("{{ $x }}") == #"template: t:1: undefined variable "$x""#)
    #expect(renderError("{{ .a @ }}") == #"template: t:1: unexpected "@" in operand"#)
    #expect(renderError("{{ \u{1} }}") == "template: t:1: unrecognized character in action: U+0001")
    #expect(renderError("{{ .a\u{1} }}") == "template: t:1: bad character U+0001")
    #expect(
      renderError(#"{{ "averyveryverylongstring" 1 }}"#)
        == #"template: t:1:3: executing "t" at <"averyveryverylongstring">: can't give argument to non-function "averyveryverylongstring""#
    )
    #expect(
      renderError(#"{{ .a "averyveryverylongstring" | 1 }}"#)
        == "template: t:1: non executable command in pipeline stage 2")
    #expect(
      renderError("{{ if 1 }}{{ else }}{{ else }}{{ end }}")
        == "template: t:1: expected end; found {{else}}")
  }

  @Test("execution errors report the line and byte column of the node")
  func executionPositions() {
    let data: TemplateValue = ["a": "s"]
    #expect(
      renderError("line 1\n  é {{ .a.b.c }}", data)
        == #"template: t:2:10: executing "t" at <.a.b.c>: can't evaluate field b in type interface {}"#
    )
    #expect(
      renderError("{{ range .a }}{{ end }}", data)
        == #"template: t:1:9: executing "t" at <.a>: range can't iterate over s"#)
    #expect(
      renderError("x\n{{ index .a 9 }}", data)
        == #"template: t:2:3: executing "t" at <index .a 9>: error calling index: index out of range: 9"#
    )
  }
}
