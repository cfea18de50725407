import Foundation
import Testing
import YAML

@Suite struct CodableTests {
  struct Deployment: Codable, Equatable {
    struct Port: Codable, Equatable {
      var name: String
      var port: Int
      var exposed: Bool?
    }
    var name: String
    var replicas: Int
    var ratio: Double
    var labels: [String: String]
    var ports: [Port]
    var command: [String]
    var values: JSONValue
    var note: String?
  }

  static let sample = Deployment(
    name: "user-service", replicas: 3, ratio: 0.75, labels: ["app": "users", "tier": "on"],
    ports: [.init(name: "http", port: 8080, exposed: true), .init(name: "grpc", port: 9090)],
    command: ["run", "--port", "8080", "yes"], values: ["debug": true, "limits": ["cpu": "500m"]],
    note: "line one\nline two\n")

  @Test func codableRoundTrip() throws {
    let text = try YAMLEncoder().encode(Self.sample)
    #expect(try YAMLDecoder().decode(Deployment.self, from: text) == Self.sample)
    #expect(try YAMLDecoder().decode(Deployment.self, from: Array(text.utf8)) == Self.sample)
    // Keys in declaration order; strings that would change meaning are quoted.
    #expect(text.hasPrefix("name: user-service\nreplicas: 3\nratio: 0.75\n"))
    #expect(text.contains("- \"yes\"\n"))
    #expect(text.contains("note: |\n  line one\n  line two\n"))
  }

  @Test func sortedKeysAndMultipleDocuments() throws {
    struct Item: Codable, Equatable {
      var zeta: Int
      var alpha: String
    }
    let text = try YAMLEncoder(sortKeys: true).encodeAll([
      Item(zeta: 1, alpha: "a"), Item(zeta: 2, alpha: "b"),
    ])
    #expect(text == "alpha: a\nzeta: 1\n---\nalpha: b\nzeta: 2\n")
  }

  @Test func decodesWhatKubernetesWouldSee() throws {
    struct Flags: Decodable, Equatable {
      var enabled: Bool
      var count: Int
      var scale: Double
      var mode: Int
    }
    let flags = try YAMLDecoder().decode(
      Flags.self, from: "enabled: on\ncount: 3.0\nscale: 2\nmode: 0o755\n", file: "f.yaml")
    #expect(flags == Flags(enabled: true, count: 3, scale: 2, mode: 493))
  }

  @Test func typeMismatchNamesFileLineColumnAndPath() throws {
    let text = """
      name: user-service
      replicas: 3
      ratio: 1
      labels: {}
      command: []
      values: {}
      ports:
      - name: http
        port: eighty
      """
    let error = try #require(
      throws: YAMLError.self,
      performing: { try YAMLDecoder().decode(Deployment.self, from: text, file: "deploy.yaml") })
    guard case .decoding(_, let path, let location) = error else {
      Issue.record("expected a decoding error, got \(error)")
      return
    }
    #expect(path == "ports[0].port")
    #expect(location == YAMLLocation(file: "deploy.yaml", mark: Mark(line: 9, column: 9)))
    #expect(
      error.description
        == "deploy.yaml:9:9: expected an integer, found the string \"eighty\" at ports[0].port")
  }

  @Test func missingKeyPointsAtTheMapping() throws {
    let text =
      "name: a\nreplicas: 1\nratio: 1\nlabels: {}\ncommand: []\nvalues: {}\nports:\n- name: http\n"
    let error = try #require(
      throws: YAMLError.self,
      performing: { try YAMLDecoder().decode(Deployment.self, from: text, file: "d.yaml") })
    #expect(error.description == "d.yaml:8:3: missing required key \"port\" at ports[0]")
  }

  @Test func errorsThroughMergedValuesPointAtTheMergedNode() throws {
    struct Config: Decodable {
      struct Limits: Decodable { var cpu: Int }
      var limits: Limits
    }
    let text = "base: &base\n  cpu: lots\nlimits:\n  <<: *base\n"
    let error = try #require(
      throws: YAMLError.self,
      performing: { try YAMLDecoder().decode(Config.self, from: text, file: "m.yaml") })
    guard case .decoding(_, let path, let location) = error else {
      Issue.record("expected a decoding error")
      return
    }
    #expect(path == "limits.cpu")
    #expect(location?.mark == Mark(line: 2, column: 8))
  }

  @Test func syntaxErrorsPassThroughTheDecoder() {
    #expect(throws: YAMLError.self) {
      try YAMLDecoder().decode([String].self, from: "[a, b", file: "x.yaml")
    }
  }

  @Test func integerOverflowIsATypeMismatch() throws {
    let error = try #require(
      throws: YAMLError.self,
      performing: { try YAMLDecoder().decode([UInt8].self, from: "[1, 300]") })
    #expect(
      error.description
        == "<input>:1:5: expected an integer that fits UInt8, found the integer 300 at [1]")
  }

  /// With other coders JSONValue maps onto their primitives (JSON cannot tell 1.0 from 1, so the
  /// sample avoids integral doubles).
  @Test func jsonValueWorksWithFoundationsJSONCoders() throws {
    let value: JSONValue = ["a": [1, 2.5, "x", true, nil], "b": ["c": [:], "d": []]]
    let data = try JSONEncoder().encode(value)
    #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
  }
}
