import GoTemplate
import Testing

/// Go maps are references: a function that changes a map changes it for every holder (the
/// variable, the data, a map that contains it). Lists stay values, as Go slices passed by value.
@Suite("Maps are references, as Go's are")
struct MapReferenceTests {
  /// A stand-in for Sprig's `set`: changes the map it is given and returns it.
  static let functions: [String: TemplateFunction] = [
    "put": TemplateFunction(arity: .exactly(3)) { arguments, _ in
      guard case .map(let map) = arguments[0], case .string(let key) = arguments[1] else {
        throw TemplateFunctionError("put needs a map and a string key")
      }
      map[key] = arguments[2]
      return arguments[0]
    }
  ]

  @Test("a change through one reference shows through the others")
  func changesAreShared() throws {
    let inner: TemplateMap = ["k": 1]
    let data: TemplateValue = ["Values": ["inner": .map(inner), "list": [1, 2]]]
    let output = try render(
      """
      {{- $v := .Values.inner }}{{ $_ := put $v "added" 2 }}
      {{- .Values.inner.added }} {{ index .Values "inner" "added" }} {{ len .Values.inner }}
      {{- $_ := put .Values "top" "t" }} {{ .Values.top }}
      """, data, functions: Self.functions)
    #expect(output == "2 2 2 t")
    if case .int(let added)? = inner["added"] { #expect(added == 2) } else { Issue.record() }
  }

  @Test("range iterates a snapshot taken before the first iteration, in sorted key order")
  func rangeSnapshot() throws {
    let output = try render(
      """
      {{- $m := .m }}{{ range $k, $v := $m }}{{ if eq $k "a" }}{{ $_ := put $m "b" 9 }}\
      {{ $_ := put $m "0" 0 }}{{ end }}{{ $k }}={{ $v }};{{ end }} {{ $m }}
      """, ["m": ["b": 2, "a": 1]], functions: Self.functions)
    #expect(output == "a=1;b=2; map[0:0 a:1 b:9]")
  }

  @Test("eq on maps is still Go's error, references or not")
  func equalityUnchanged() {
    let map: TemplateValue = ["a": 1]
    #expect(renderError("{{ eq .x .x }}", ["x": map]) != nil)
  }

  @Test("concurrent executions of one set over their own data stay apart")
  func concurrentExecutions() async throws {
    var set = TemplateSet(name: "t", functions: Self.functions)
    try set.parse(
      name: "t", source: #"{{ $_ := put .m "id" .id }}{{ $_ := put . "done" true }}{{ .m.id }}"#)
    let shared = set
    let outputs = try await withThrowingTaskGroup(of: (Int, String).self) { group in
      for id in 0..<64 {
        group.addTask { (id, try shared.execute(name: "t", data: ["id": .int(id), "m": [:]])) }
      }
      return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
    }
    for id in 0..<64 { #expect(outputs[id] == "\(id)") }
  }
}
