import Testing
import YAML

@testable import Helm

/// `--set` parsing; expectations are what Helm's strvals gives (checked with helm-python-sdk's
/// parse_set_string).
@Suite struct SetValuesTests {
  private func parse(_ expression: String, typing: SetValues.Typing = .inferred) throws -> JSONValue
  {
    var values: ValueTable = [:]
    try SetValues.apply(expression, to: &values, typing: typing)
    return .object(values)
  }

  @Test func nestedKeysListsAndTypes() throws {
    #expect(
      try parse("a=1,b.c=two,ports={80,443}") == ["a": 1, "b": ["c": "two"], "ports": [80, 443]])
    #expect(try parse("f=true,g=007,h=1.5") == ["f": true, "g": "007", "h": "1.5"])
    #expect(try parse("x=null") == ["x": nil])
  }

  @Test func escapesAndIndexes() throws {
    #expect(try parse(#"name=a\,b"#) == ["name": "a,b"])
    #expect(try parse(#"a\.b=1"#) == ["a.b": 1])
    #expect(try parse("list[1]=x") == ["list": [nil, "x"]])
  }

  @Test func typingFollowsHelm() throws {
    #expect(
      try parse("n=-5,m=1e3,o=0x10,p=+3,q=TRUE,r=Null")
        == ["n": -5, "m": "1e3", "o": "0x10", "p": 3, "q": true, "r": nil])
    #expect(try parse("a=b=c") == ["a": "b=c"])
    #expect(try parse("a=") == ["a": ""])
    #expect(try parse("=1") == [:])
    #expect(try parse("a.b=1,a=2") == ["a": 2])
    #expect(try parse("a={b,c},d[0].e=f") == ["a": ["b", "c"], "d": [["e": "f"]]])
  }

  @Test func malformedExpressionsAreRefusedAsHelmRefusesThem() {
    func message(_ expression: String) -> String? {
      var values: ValueTable = [:]
      do {
        try SetValues.apply(expression, to: &values)
        return nil
      } catch {
        return "\(error)"
      }
    }
    #expect(message("a")?.hasPrefix(#"failed parsing --set data: key "a" has no value"#) == true)
    #expect(
      message("a[x]=1")?.hasPrefix(
        #"failed parsing --set data: error parsing index: strconv.Atoi: parsing "x": invalid syntax"#
      )
        == true)
    #expect(
      message("a=1,a.b=2")?.hasPrefix(
        "failed parsing --set data: unable to parse key: interface conversion: interface {} is "
          + "int64, not map[string]interface {}") == true)
  }

  @Test func setStringKeepsText() throws {
    #expect(try parse("port=80,on=true", typing: .string) == ["port": "80", "on": "true"])
  }

  @Test func templateOutputPutsHooksLastAndSkipsTests() throws {
    let chart = try ChartLoader.load(
      directory: OracleTests.root.appendingPathComponent("Tests/HelmTests/Charts/extras").path)
    let release = try ReleaseRenderer().render(chart: chart, values: [:])
    let output = try release.templateOutput(skipTests: true)
    #expect(!output.contains("release-name-test"))
    #expect(output.split(separator: "---\n").last?.contains("name: migrate") == true)
    #expect(release.hooks.map(\.manifest.kind) == ["ConfigMap", "Pod", "Job"])
    let crds = try release.templateOutput(includeCRDs: true)
    #expect(crds.hasPrefix("---\n# Source: extras/crds/widget.yaml\n"))
    let only = try release.templateOutput(showOnly: ["templates/files.yaml"])
    #expect(only.hasPrefix("---\n# Source: extras/templates/files.yaml\n"))
    #expect(throws: HelmError.templateNotFound("templates/none.yaml")) {
      try release.templateOutput(showOnly: ["templates/none.yaml"])
    }
  }
}
