import Testing
import YAML

@Suite struct JSONValueTests {
  @Test func objectsAreEqualRegardlessOfKeyOrder() {
    let a: JSONValue = ["name": "user-service", "port": 8080]
    let b: JSONValue = ["port": 8080, "name": "user-service"]
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
  }

  @Test func integersAndDoublesAreDifferentValues() {
    #expect(JSONValue.int(1) != JSONValue.double(1))
    #expect(JSONValue.int(1).doubleValue == 1.0)
  }

  @Test func arraysCompareInOrder() {
    let a: JSONValue = [1, 2]
    let b: JSONValue = [2, 1]
    #expect(a != b)
  }

  @Test func subscriptsReachIntoNestedValues() {
    let v: JSONValue = ["spec": ["ports": [["port": 8080]]]]
    #expect(v["spec"]?["ports"]?[0]?["port"]?.intValue == 8080)
    #expect(v["spec"]?["missing"] == nil)
    #expect(v["spec"]?["ports"]?[5] == nil)
  }
}
