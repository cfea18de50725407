import Testing
import YAML

/// The one JSON writer: key order, escapes, numbers.
@Suite struct JSONWriterTests {
  let value: JSONValue = ["z": 1, "a": ["x": 1.0, "y": 2.5], "s": "<tab>\t\u{1}\u{2028}\"\\é"]

  @Test func keepsKeyOrderUnlessAskedToSort() {
    #expect(
      JSONWriter().string(value)
        == #"{"z":1,"a":{"x":1,"y":2.5},"s":"<tab>\t\u0001\#u{2028}\"\\é"}"#)
    #expect(
      JSONWriter(sortsKeys: true).string(value)
        == #"{"a":{"x":1,"y":2.5},"s":"<tab>\t\u0001\#u{2028}\"\\é","z":1}"#)
  }

  @Test func escapesHTMLAsGoDoesWhenAsked() {
    #expect(
      JSONWriter(escapesHTML: true).string(["s": "<a&b>\u{2028}\u{2029}é"])
        == #"{"s":"\u003ca\u0026b\u003e\u2028\u2029é"}"#)
  }

  @Test func nonFiniteNumbersBecomeNull() {
    #expect(JSONWriter().string([.double(.nan), .double(.infinity), 1e21]) == "[null,null,1e+21]")
  }

  @Test func itsOutputParsesBackToTheSameValue() throws {
    // Integral doubles come back as integers (JSON has one number type), so leave them out here.
    let value: JSONValue = ["z": 1, "a": [2.5, "x"], "s": "<tab>\t\u{1}\u{2028}\"\\é"]
    #expect(try YAML.loadOne(JSONWriter().encode(value)) == value)
  }
}
