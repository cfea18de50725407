import GitOps
import Testing
import YAML

@Suite struct DiffJSONPointerTests {
  @Test func parsesAndEscapesPerRFC6901() throws {
    let pointer = try JSONPointer("/metadata/annotations/example.com~1owner~0team/0")
    #expect(pointer.tokens == ["metadata", "annotations", "example.com/owner~team", "0"])
    #expect(pointer.description == "/metadata/annotations/example.com~1owner~0team/0")
    #expect(try JSONPointer("").tokens == [])
    #expect(try JSONPointer("/").tokens == [""])
    // "~01" is "~1" unescaped once, not "/".
    #expect(try JSONPointer("/a~01b").tokens == ["a~1b"])
  }

  @Test func rejectsMalformedPointers() {
    #expect(throws: JSONPointerError.missingLeadingSlash(pointer: "spec/replicas")) {
      try JSONPointer("spec/replicas")
    }
    #expect(throws: JSONPointerError.invalidEscape(pointer: "/a~2b", token: "a~2b")) {
      try JSONPointer("/a~2b")
    }
    #expect(throws: JSONPointerError.invalidEscape(pointer: "/trailing~", token: "trailing~")) {
      try JSONPointer("/trailing~")
    }
    #expect(
      JSONPointerError.missingLeadingSlash(pointer: "spec/replicas").description
        == "JSON pointer \"spec/replicas\" must start with \"/\" (RFC 6901), "
        + "e.g. \"/spec/replicas\"; write \"\" for the whole object")
  }

  @Test func readsAndRemovesThroughObjectsAndArrays() throws {
    let object: JSONValue = [
      "spec": [
        "replicas": 3,
        "template": ["spec": ["containers": [["name": "a", "image": "x"], ["name": "b"]]]],
      ],
      "metadata": ["annotations": ["example.com/owner": "team", "keep": "yes"]],
    ]
    let image = try JSONPointer("/spec/template/spec/containers/0/image")
    #expect(object[pointer: image] == "x")
    #expect(object[pointer: try JSONPointer("")] == object)
    let withoutImage = object.removing(image)
    #expect(withoutImage[pointer: image] == nil)
    #expect(withoutImage[pointer: try JSONPointer("/spec/template/spec/containers/0/name")] == "a")

    let annotation = try JSONPointer("/metadata/annotations/example.com~1owner")
    #expect(object.removing(annotation)["metadata"]?["annotations"] == ["keep": "yes"])

    let secondContainer = try JSONPointer("/spec/template/spec/containers/1")
    #expect(
      object.removing(secondContainer)[pointer: try JSONPointer("/spec/template/spec/containers")]
        == [["name": "a", "image": "x"]])

    // Nothing there: nothing changes. Leading zeros and "-" are not indices (RFC 6901).
    for absent in [
      "/spec/missing/deeper", "/spec/template/spec/containers/01",
      "/spec/template/spec/containers/-", "/spec/template/spec/containers/7", "/spec/replicas/x",
    ] {
      #expect(object.removing(try JSONPointer(absent)) == object, "\(absent)")
    }
    #expect(object.removing(try JSONPointer("")) == .null)
  }
}
