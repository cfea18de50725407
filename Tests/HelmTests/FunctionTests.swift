import Testing
import YAML

@testable import Helm

/// Helm's serialisation helpers at the edges the chart oracles do not reach.
@Suite struct FunctionTests {
  @Test func jsonEscapesLikeGo() {
    #expect(
      GoJSON.encode(["k": "<a&b>\n\u{2028}\"q\""]) == #"{"k":"\u003ca\u0026b\u003e\n\u2028\"q\""}"#)
    #expect(GoJSON.encode(["b": 1, "a": [true, nil]]) == #"{"a":[true,null],"b":1}"#)
  }

  @Test func replaceAllWorksOnBytes() {
    #expect("a<no value>b<no value>".replacingAll("<no value>", with: "") == "ab")
    #expect("ünïcode <no value>!".replacingAll("<no value>", with: "-") == "ünïcode -!")
    #expect("nothing".replacingAll("<no value>", with: "") == "nothing")
  }

  @Test func schemaNumbersAreGroupedAsHelmPrintsThem() {
    #expect(SchemaValidator.numberText(.double(70000)) == "70,000")
    #expect(SchemaValidator.numberText(.int(-1_234_567)) == "-1,234,567")
    #expect(SchemaValidator.numberText(.double(1234.5)) == "1,234.5")
  }

  @Test func manifestSplittingFollowsHelm() {
    #expect(ManifestSorter.split("a: 1\n---\nb: 2\n\n") == ["a: 1", "b: 2\n\n"])
    // The first separator swallows the newline the second one would need: Helm's regular
    // expression leaves "---apiVersion: v1" as a document, and so do we.
    #expect(
      ManifestSorter.split("---\na: 1\n  \n---   \n---apiVersion: v1")
        == ["a: 1", "---apiVersion: v1"])
    #expect(ManifestSorter.split("a\n---x\n---\n") == ["a", "x"])
    #expect(ManifestSorter.split("\n\n  a: 1") == ["a: 1"])
  }
}
