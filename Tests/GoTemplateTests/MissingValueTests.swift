import GoTemplate
import Testing

/// Go's handling of missing keys and nils under each `missingkey` option. Helm runs with
/// `zero`, which the oracle cases cover; these are Go's defaults, from exec.go's rules.
@Suite("Missing keys and nil values")
struct MissingValueTests {
  let data: TemplateValue = ["a": ["b": "c"], "n": nil, "list": [1, nil]]

  @Test("a missing key prints <no value> and chains through silently by default")
  func defaultMissingKey() throws {
    #expect(try render("{{ .missing }}", data) == "<no value>")
    #expect(try render("{{ .missing.deeper.still }}", data) == "<no value>")
    #expect(try render("{{ $x := .missing }}{{ $x.y }}", data) == "<no value>")
    #expect(try render("{{ .a.b }}", data) == "c")
    #expect(try render("[{{ .n }}]", data) == "[<no value>]")
    #expect(try render("{{ printf \"%v\" .missing }}", data) == "<nil>")
    #expect(
      try render("{{ index .list 1 }}|{{ print (index .list 1) }}", data) == "<no value>|<nil>")
  }

  @Test("a field of a nil value inside a map is a nil pointer error")
  func nilInterfaceField() {
    #expect(
      renderError("{{ .n.x }}", data)
        == "template: t:1:5: executing \"t\" at <.n.x>: nil pointer evaluating interface {}.x")
  }

  @Test("missingkey=zero yields a nil interface, so a deeper field is a nil pointer error")
  func zeroMissingKey() {
    let options = TemplateOptions(missingKey: .zero)
    #expect((try? render("{{ .missing }}", data, options: options)) == "<no value>")
    #expect(
      renderError("{{ .missing.x }}", data, options: options)
        == "template: t:1:11: executing \"t\" at <.missing.x>: nil pointer evaluating interface {}.x"
    )
  }

  @Test("missingkey=error stops at the first absent key")
  func errorMissingKey() {
    let options = TemplateOptions(missingKey: .error)
    #expect(
      renderError("{{ .a.zz }}", data, options: options)
        == "template: t:1:5: executing \"t\" at <.a.zz>: map has no entry for key \"zz\"")
    #expect(
      renderError("{{ $x := index .a \"zz\" }}{{ $x.y }}", data, options: options)
        == "template: t:1:30: executing \"t\" at <$x.y>: nil data; no entry for key \"y\"")
    #expect((try? render("{{ .a.b }}", data, options: options)) == "c")
  }

  @Test("nil data is no value")
  func nilData() throws {
    #expect(try render("{{ . }}|{{ .x }}|{{ $ }}") == "<no value>|<no value>|<no value>")
    #expect(try render("{{ if . }}y{{ else }}n{{ end }}") == "n")
  }

  @Test("functions receive a missing value as nil, and a nil result prints <no value>")
  func functionNils() throws {
    let describe = TemplateFunction(arity: .exactly(1)) { arguments, _ in
      if case .null = arguments[0] { return "got nil" }
      return "got value"
    }
    let nothing = TemplateFunction { _, _ in .null }
    let functions = ["describe": describe, "nothing": nothing]
    #expect(try render("{{ describe .missing }}", data, functions: functions) == "got nil")
    #expect(try render("{{ .missing | describe }}", data, functions: functions) == "got nil")
    #expect(try render("{{ nothing }}", data, functions: functions) == "<no value>")
    #expect(try render("{{ describe nil }}", data, functions: functions) == "got nil")
  }

  @Test("len of a missing value reports Go's reflect message, of nil a nil pointer")
  func lengthOfNothing() {
    #expect(
      renderError("{{ len .missing }}", data)
        == "template: t:1:3: executing \"t\" at <len .missing>: error calling len: "
        + "reflect: call of reflect.Value.Type on zero Value")
    #expect(
      renderError("{{ len .n }}", data)
        == "template: t:1:3: executing \"t\" at <len .n>: error calling len: len of nil pointer")
  }
}
