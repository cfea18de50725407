import JSONText
import Testing

/// `JSONOutput`: the text of values, the commas and `json.MarshalIndent`'s layout, and the three
/// escaping choices.
@Suite struct JSONOutputTests {
  /// `{"a":[1,2.5,true,null],"b":{},"c":[],"d":"x"}`, written call by call.
  private func sample(_ output: inout JSONOutput) {
    output.beginObject()
    output.writeKey("a")
    output.beginArray()
    output.write(1)
    output.write(2.5)
    output.write(true)
    output.writeNull()
    output.endArray()
    output.writeKey("b")
    output.beginObject()
    output.endObject()
    output.writeKey("c")
    output.beginArray()
    output.endArray()
    output.writeKey("d")
    output.write("x")
    output.endObject()
  }

  @Test func compact() {
    var output = JSONOutput()
    sample(&output)
    #expect(output.text == #"{"a":[1,2.5,true,null],"b":{},"c":[],"d":"x"}"#)
  }

  /// Go's `json.MarshalIndent(value, "", "  ")`: empty containers stay on one line.
  @Test func indented() {
    var output = JSONOutput(indent: "  ")
    sample(&output)
    #expect(
      output.text == """
        {
          "a": [
            1,
            2.5,
            true,
            null
          ],
          "b": {},
          "c": [],
          "d": "x"
        }
        """)
  }

  @Test func numbersInGoForm() {
    var output = JSONOutput()
    output.beginArray()
    output.write(1e21)
    output.write(1e-7)
    output.write(100.0)
    output.write(-0.0)
    output.write(UInt64.max)
    output.write(Int.min)
    output.endArray()
    #expect(output.text == "[1e+21,1e-7,100,-0,18446744073709551615,-9223372036854775808]")
  }

  static let tricky = "<a&b>\u{2028}\u{2029}é\n\r\t\"\\\u{1}\u{1F}"

  @Test func escapesOnlyWhatJSONRequires() {
    var output = JSONOutput(escaping: .required)
    output.write(Self.tricky)
    #expect(output.text == "\"<a&b>\u{2028}\u{2029}é\\n\\r\\t\\\"\\\\\\u0001\\u001f\"")
  }

  @Test func escapesAsGoMarshals() {
    var output = JSONOutput(escaping: .goMarshal)
    output.write(Self.tricky)
    #expect(
      output.text == #""\u003ca\u0026b\u003e\u2028\u2029é\n\r\t\"\\\u0001\u001f""#)
  }

  @Test func escapesAsGoWithoutHTMLEscaping() {
    var output = JSONOutput(escaping: .goMarshalWithoutHTMLEscaping)
    output.write(Self.tricky)
    #expect(output.text == #""<a&b>\u2028\u2029é\n\r\t\"\\\u0001\u001f""#)
  }

  /// Keys are strings and escaped like them.
  @Test func keysAreEscaped() {
    var output = JSONOutput(escaping: .goMarshal)
    output.beginObject()
    output.writeKey("<k>")
    output.write(0)
    output.endObject()
    #expect(output.text == #"{"\u003ck\u003e":0}"#)
  }

  /// A lone E2 byte that does not start U+2028 or U+2029 is copied as it is.
  @Test func otherThreeByteCharactersPassThrough() {
    var output = JSONOutput(escaping: .goMarshal)
    output.write("€‘")
    #expect(output.text == "\"€‘\"")
  }
}
