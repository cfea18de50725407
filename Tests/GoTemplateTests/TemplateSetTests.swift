import GoTemplate
import Testing

@Suite("Template sets, functions and objects")
struct TemplateSetTests {
  @Test("defines from any file are visible to every file")
  func definesAcrossFiles() throws {
    var set = TemplateSet(name: "gotpl")
    try set.parse(name: "_helpers.tpl", source: #"{{ define "name" }}app-{{ .Values.n }}{{ end }}"#)
    try set.parse(name: "deploy.yaml", source: #"name: {{ template "name" . }}"#)
    #expect(set.hasTemplate(named: "name"))
    #expect(set.templateNames == ["_helpers.tpl", "deploy.yaml", "name"])
    #expect(try set.execute(name: "deploy.yaml", data: ["Values": ["n": "x"]]) == "name: app-x")
    // The helpers file itself renders to its whitespace.
    #expect(try set.execute(name: "_helpers.tpl", data: nil) == "")
  }

  @Test("a later definition replaces an earlier one, an empty one does not")
  func redefinition() throws {
    var set = TemplateSet()
    try set.parse(name: "a", source: #"{{ define "x" }}first{{ end }}"#)
    try set.parse(name: "b", source: #"{{ define "x" }}second{{ end }}"#)
    try set.parse(name: "c", source: #"{{ define "x" }} {{ end }}{{ template "x" }}"#)
    #expect(try set.execute(name: "c", data: nil) == "second")
  }

  @Test("two definitions in one file are an error")
  func duplicateInOneFile() {
    var set = TemplateSet()
    #expect(throws: TemplateError.self) {
      try set.parse(name: "a", source: #"{{ define "x" }}1{{ end }}{{ define "x" }}2{{ end }}"#)
    }
    #expect(!set.hasTemplate(named: "x"))
  }

  @Test("executing an unknown template names the set")
  func unknownTemplate() {
    let set = TemplateSet(name: "gotpl")
    #expect(throws: TemplateError.noSuchTemplate(name: "nope", setName: "gotpl")) {
      try set.execute(name: "nope", data: nil)
    }
    #expect(
      "\(TemplateError.noSuchTemplate(name: "nope", setName: "gotpl"))"
        == #"template: no template "nope" associated with template "gotpl""#)
  }

  @Test("errors in a define name the file and the defined template")
  func errorLocationInDefine() {
    var set = TemplateSet()
    #expect(throws: Never.self) {
      try set.parse(name: "helpers.tpl", source: "{{ define \"h\" }}\n  {{ .a.b }}\n{{ end }}")
    }
    #expect(throws: Never.self) { try set.parse(name: "main", source: #"{{ template "h" . }}"#) }
    do {
      _ = try set.execute(name: "main", data: ["a": "s"])
      Issue.record("expected an error")
    } catch {
      #expect(
        "\(error)"
          == "template: helpers.tpl:2:7: executing \"h\" at <.a.b>: can't evaluate field b in type interface {}"
      )
    }
  }

  @Test("custom functions: variadic, fixed arity, errors and precedence over built-ins")
  func customFunctions() throws {
    let join = TemplateFunction { arguments, _ in
      .string(arguments.map { GoTemplateTestsFormat.plain($0) }.joined(separator: "+"))
    }
    let fail = TemplateFunction(arity: .exactly(1)) { _, _ in
      throw TemplateFunctionError("boom")
    }
    let two = TemplateFunction(arity: .exactly(2)) { _, _ in "two" }
    let atLeastOne = TemplateFunction(arity: .atLeast(1)) { _, _ in "ok" }
    let len = TemplateFunction(arity: .exactly(1)) { _, _ in "mine" }
    let functions = ["join": join, "fail": fail, "two": two, "atLeastOne": atLeastOne, "len": len]
    #expect(try render(#"{{ join 1 "a" 2.5 }}|{{ join }}"#, functions: functions) == "1+a+2.5|")
    #expect(try render(#"{{ "x" | join "y" }}"#, functions: functions) == "y+x")
    #expect(try render(#"{{ len "abc" }}"#, functions: functions) == "mine")
    #expect(
      renderError(#"{{ fail 1 }}"#, functions: functions)
        == #"template: t:1:3: executing "t" at <fail 1>: error calling fail: boom"#)
    #expect(
      renderError(#"{{ two 1 }}"#, functions: functions)
        == #"template: t:1:3: executing "t" at <two>: wrong number of args for two: want 2 got 1"#)
    #expect(
      renderError(#"{{ 1 | two 1 2 }}"#, functions: functions)
        == #"template: t:1:7: executing "t" at <two>: wrong number of args for two: want 2 got 3"#)
    #expect(
      renderError(#"{{ atLeastOne }}"#, functions: functions)
        == #"template: t:1:3: executing "t" at <atLeastOne>: wrong number of args for atLeastOne: want at least 1 got 0"#
    )
    #expect(
      renderError("{{ nope 1 }}", functions: functions)
        == #"template: t:1: function "nope" not defined"#)
  }

  @Test("functions can include named templates and parse strings as templates")
  func includeAndTpl() throws {
    let include = TemplateFunction(arity: .exactly(2)) { arguments, context in
      guard case .string(let name) = arguments[0] else { throw TemplateFunctionError("name") }
      return .string(try context.executeTemplate(named: name, data: arguments[1]))
    }
    let tpl = TemplateFunction(arity: .exactly(2)) { arguments, context in
      guard case .string(let source) = arguments[0] else { throw TemplateFunctionError("src") }
      return .string(
        try context.parseAndExecute(source: source, name: "inline", data: arguments[1]))
    }
    var set = TemplateSet(name: "gotpl", functions: ["include": include, "tpl": tpl])
    try set.parse(
      name: "helpers",
      source: #"{{ define "label" }}app: {{ .name }}{{ end }}{{ define "bad" }}{{ .x.y }}{{ end }}"#
    )
    try set.parse(
      name: "main",
      source:
        #"{{ include "label" . | printf "[%s]" }} {{ tpl "{{ .name }}-{{ include \"label\" . }}" . }}"#
    )
    try set.parse(name: "broken", source: #"{{ include "bad" . }}"#)
    try set.parse(name: "missing", source: #"{{ include "none" . }}"#)
    try set.parse(
      name: "defines", source: #"{{ tpl "{{ define \"z\" }}Z{{ end }}{{ template \"z\" }}" . }}"#)
    let data: TemplateValue = ["name": "web", "x": "s"]
    #expect(try set.execute(name: "main", data: data) == "[app: web] web-app: web")
    #expect(try set.execute(name: "defines", data: data) == "Z")
    // The template defined by tpl did not leak into the set.
    #expect(!set.hasTemplate(named: "z"))
    #expect(throws: TemplateError.self) { try set.execute(name: "broken", data: data) }
    do {
      _ = try set.execute(name: "broken", data: data)
    } catch {
      #expect(
        "\(error)"
          == #"template: broken:1:3: executing "broken" at <include "bad" .>: error calling include: template: helpers:1:68: executing "bad" at <.x.y>: can't evaluate field y in type interface {}"#
      )
    }
    do {
      _ = try set.execute(name: "missing", data: data)
    } catch {
      #expect(
        "\(error)"
          == #"template: missing:1:3: executing "missing" at <include "none" .>: error calling include: template: no template "none" associated with template "gotpl""#
      )
    }
  }

  @Test("functions see the name of the executing template")
  func templateName() throws {
    let name = TemplateFunction(arity: .exactly(0)) { _, context in .string(context.templateName) }
    #expect(
      try render(
        #"{{ define "inner" }}{{ name }}{{ end }}{{ name }}/{{ template "inner" }}"#,
        functions: ["name": name]) == "t/inner")
  }

  @Test("runaway recursion stops at the depth limit")
  func recursionLimit() {
    let options = TemplateOptions(maximumDepth: 50)
    let message = renderError(
      #"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" 1 }}"#, options: options)
    #expect(message?.hasSuffix("exceeded maximum template depth (50)") == true)
  }

  @Test("objects: fields, methods with arguments, and Go's messages")
  func objects() throws {
    let data: TemplateValue = ["Release": .object(Release(name: "web", revision: 3))]
    #expect(try render("{{ .Release.Name }} {{ .Release.Revision }}", data) == "web 3")
    #expect(
      try render(#"{{ .Release.Greet "hi" }} {{ "yo" | .Release.Greet }}"#, data)
        == "hi, web yo, web")
    #expect(try render("{{ .Release.Name2 }} {{ .Release }}", data) == "webweb {web 3}")
    #expect(try render("{{ with .Release }}{{ .Name }}{{ end }}", data) == "web")
    #expect(
      renderError("{{ .Release.Nope }}", data)
        == "template: t:1:11: executing \"t\" at <.Release.Nope>: can't evaluate field Nope in type interface {}"
    )
    // Out of the map (through `with`), Go names the object's own type.
    #expect(
      renderError("{{ with .Release }}{{ .Nope }}{{ end }}", data)
        == "template: t:1:22: executing \"t\" at <.Nope>: can't evaluate field Nope in type *release.Info"
    )
    #expect(
      renderError("{{ .Release.Name 1 }}", data)
        == "template: t:1:11: executing \"t\" at <.Release.Name>: Name has arguments but cannot be invoked as function"
    )
    #expect(
      renderError("{{ .Release.Name.x }}", data)
        == "template: t:1:11: executing \"t\" at <.Release.Name.x>: can't evaluate field x in type string"
    )
    #expect(
      renderError(#"{{ .Release.Greet 1 }}"#, data)
        == "template: t:1:11: executing \"t\" at <.Release.Greet>: error calling Greet: greeting must be a string"
    )
  }

  @Test("one parsed set executes concurrently from many tasks")
  func concurrentExecution() async throws {
    var set = TemplateSet()
    try set.parse(
      name: "t",
      source: #"{{ define "n" }}<{{ . }}>{{ end }}{{ range . }}{{ template "n" . }}{{ end }}"#)
    let shared = set
    let outputs = try await withThrowingTaskGroup(of: String.self) { group in
      for index in 0..<16 {
        group.addTask { try shared.execute(name: "t", data: [.int(index), .int(index + 1)]) }
      }
      return try await group.reduce(into: Set<String>()) { $0.insert($1) }
    }
    #expect(outputs.count == 16)
    #expect(outputs.contains("<3><4>"))
  }

  @Test("custom delimiters")
  func delimiters() throws {
    let options = TemplateOptions(leftDelimiter: "[[", rightDelimiter: "]]")
    #expect(
      try render("{{ x }} [[ .a ]] [[- .a -]] !", ["a": 1], options: options) == "{{ x }} 11!")
  }

  @Test("call invokes function values")
  func callFunctionValues() throws {
    let add = TemplateFunction(arity: .exactly(2)) { arguments, _ in
      guard case .int(let left) = arguments[0], case .int(let right) = arguments[1] else {
        throw TemplateFunctionError("ints only")
      }
      return .int(left + right)
    }
    let data: TemplateValue = ["add": .function(add), "s": "x"]
    #expect(try render("{{ call .add 1 2 }}", data) == "3")
    #expect(
      renderError("{{ call .add 1 }}", data)
        == #"template: t:1:3: executing "t" at <call .add 1>: error calling call: wrong number of args for .add: got 1 want 2"#
    )
    #expect(
      renderError(#"{{ call .add 1 "a" }}"#, data)
        == #"template: t:1:3: executing "t" at <call .add 1 "a">: error calling call: ints only"#)
    #expect(
      renderError("{{ call .s }}", data)
        == #"template: t:1:3: executing "t" at <call .s>: error calling call: non-function .s of type string"#
    )
    #expect(
      renderError("{{ .add }}", data)
        == #"template: t:1:3: executing "t" at <{{.add}}>: can't print {{.add}} of type func"#)
  }
}

/// Plain `%v` text of a value for test functions.
enum GoTemplateTestsFormat {
  static func plain(_ value: TemplateValue) -> String {
    switch value {
    case .string(let string): return string
    case .int(let int): return String(int)
    case .float(let float): return "\(float)".replacingOccurrences(of: ".0", with: "")
    default: return "?"
    }
  }
}

@Suite("Recursion at the default depth")
struct RecursionDepthTests {
  @Test("deep template and include recursion stops with Go's message instead of overflowing")
  func defaultDepth() {
    let include = TemplateFunction(arity: .exactly(2)) { arguments, context in
      guard case .string(let name) = arguments[0] else { throw TemplateFunctionError("name") }
      return .string(try context.executeTemplate(named: name, data: arguments[1]))
    }
    let viaTemplate = renderError(
      #"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" 1 }}"#)
    #expect(viaTemplate?.hasSuffix("exceeded maximum template depth (1000)") == true)
    let viaInclude = renderError(
      #"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" 1 }}"#,
      functions: ["include": include])
    #expect(viaInclude?.hasSuffix("exceeded maximum template depth (1000)") == true)
  }
}
