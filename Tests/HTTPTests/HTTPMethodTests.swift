import HTTP
import Testing

@Suite struct HTTPMethodTests {
  @Test func onlyIdempotentMethodsMayBeRetried() {
    #expect(HTTPMethod.get.isIdempotent)
    #expect(HTTPMethod.put.isIdempotent)
    #expect(HTTPMethod.delete.isIdempotent)
    #expect(!HTTPMethod.post.isIdempotent)
    #expect(!HTTPMethod.patch.isIdempotent)
  }
}
