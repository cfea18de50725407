import Testing
import YAML

@testable import Helm

/// Helm's coalescing rules, each checked on a small chart built in memory.
@Suite struct CoalesceTests {
  private func chart(_ values: JSONValue, dependencies: [Chart] = []) -> Chart {
    Chart(
      metadata: ChartMetadata(name: "parent", version: "1.0.0"), values: values,
      dependencies: dependencies)
  }

  private func sub(_ name: String, _ values: JSONValue) -> Chart {
    Chart(metadata: ChartMetadata(name: name, version: "1.0.0"), values: values)
  }

  @Test func userValuesWinAndTablesMerge() throws {
    let result = try Coalesce.values(
      chart(["a": 1, "t": ["x": 1, "y": 2]]), ["a": 2, "t": ["y": 3, "z": 4]])
    #expect(JSONValue.object(result) == ["a": 2, "t": ["x": 1, "y": 3, "z": 4]])
  }

  @Test func nullDeletesAKeyFromTheDefaults() throws {
    let result = try Coalesce.values(
      chart(["a": 1, "t": ["x": 1, "y": 2]]), ["a": nil, "t": ["x": nil]])
    #expect(JSONValue.object(result) == ["t": ["y": 2]])
  }

  @Test func nullWithoutADefaultStays() throws {
    let result = try Coalesce.values(chart(["a": 1]), ["b": nil])
    #expect(JSONValue.object(result) == ["a": 1, "b": nil])
  }

  @Test func scalarsDoNotReplaceTablesNorTablesScalars() throws {
    let result = try Coalesce.values(
      chart(["t": ["x": 1], "s": "text"]), ["t": "flat", "s": ["k": 1]])
    // The user's value wins in both cases (Helm only warns).
    #expect(JSONValue.object(result) == ["t": "flat", "s": ["k": 1]])
  }

  @Test func subchartDefaultsGoUnderTheirNameAndGlobalsFlowDown() throws {
    let parent = chart(
      ["global": ["region": "eu", "shared": ["a": "parent"]], "child": ["replicas": 2]],
      dependencies: [
        sub(
          "child",
          ["replicas": 1, "image": "app", "global": ["shared": ["a": "child", "b": "child"]]])
      ])
    let result = try Coalesce.values(parent, ["global": ["region": "us"]])
    #expect(
      result["child"]
        == [
          "replicas": 2, "image": "app",
          "global": ["region": "us", "shared": ["a": "parent", "b": "child"]],
        ])
  }

  @Test func mergeKeepsNulls() throws {
    let result = try Coalesce.merged(chart(["a": 1]), ["a": nil])
    #expect(JSONValue.object(result) == ["a": nil])
  }

  @Test func userFilesMergeTablesAndReplaceEverythingElse() {
    let merged = Coalesce.mergeUserValues(
      ["t": ["x": 1], "l": [1, 2]], ["t": ["y": 2], "l": [3]])
    #expect(JSONValue.object(merged) == ["t": ["x": 1, "y": 2], "l": [3]])
  }

  @Test func valuesFilesReadNumbersAsFloat64() throws {
    let values = try ChartLoader.readValues(Array("port: 8080\nratio: 0.5\n".utf8), file: "v.yaml")
    #expect(values == ["port": .double(8080), "ratio": 0.5])
  }
}
