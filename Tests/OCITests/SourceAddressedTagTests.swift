import Foundation
import OCI
import TestSupport
import Testing

/// Source-addressed tags: the documented encoding, order independence, and that each input counts.
@Suite struct SourceAddressedTagTests {
  typealias Source = SourceAddressedTag.Source

  let sources = [
    Source(path: "services/user", objectID: "89ABCDEF0123456789abcdef0123456789abcdef"),
    Source(path: "Package.resolved", objectID: "0123456789abcdef0123456789abcdef01234567"),
  ]

  @Test func encodingIsTheDocumentedOne() throws {
    let encoding = try SourceAddressedTag.canonicalEncoding(
      sources: sources, base: "host-runtime", product: "user-service")
    // Sorted by path bytes ("P" < "s"), object ids lowercased, each field length-prefixed.
    let expected =
      "tripgen-source-tag/1\n12:host-runtime\n12:user-service\n1:2\n"
      + "16:Package.resolved\n40:0123456789abcdef0123456789abcdef01234567\n"
      + "13:services/user\n40:89abcdef0123456789abcdef0123456789abcdef\n"
    #expect(String(decoding: encoding, as: UTF8.self) == expected)

    // The tag is the first 20 hex digits of sha256sum of those bytes.
    let directory = try TemporaryDirectory(prefix: "source-tag")
    let file = directory.file("encoding")
    try Data(encoding).write(to: file)
    let sum = try Command.check(["/usr/bin/sha256sum", file.path]).standardOutput.prefix(20)
    let tag = try SourceAddressedTag(
      sources: sources, base: "host-runtime", product: "user-service")
    #expect(tag.tag == "src-" + sum)
    #expect(tag.tag == "src-efda06f80888fa5c4518")
    try ImageReference.validateTag(tag.tag)
  }

  @Test func orderOfPathsDoesNotMatterButEveryInputDoes() throws {
    let tag = try SourceAddressedTag(
      sources: sources, base: "host-runtime", product: "user-service")
    #expect(
      try SourceAddressedTag(
        sources: sources.reversed(), base: "host-runtime", product: "user-service") == tag)

    var changedObject = sources
    changedObject[0].objectID = "99abcdef0123456789abcdef0123456789abcdef"
    var renamed = sources
    renamed[0].path = "services/users"
    let variants = [
      try SourceAddressedTag(sources: changedObject, base: "host-runtime", product: "user-service"),
      try SourceAddressedTag(sources: renamed, base: "host-runtime", product: "user-service"),
      try SourceAddressedTag(sources: [sources[0]], base: "host-runtime", product: "user-service"),
      try SourceAddressedTag(sources: sources, base: "scratch", product: "user-service"),
      try SourceAddressedTag(sources: sources, base: "host-runtime", product: "trip-service"),
    ]
    #expect(Set(variants + [tag]).count == variants.count + 1)

    // Length prefixes keep fields apart: moving a character from one field to the next changes
    // the tag although the concatenation is the same.
    let shifted = try SourceAddressedTag(
      sources: sources, base: "host-runtimeu", product: "ser-service")
    #expect(shifted != tag)
  }

  @Test func malformedInputsAreRefusedWithTheReason() {
    let oid = "0123456789abcdef0123456789abcdef01234567"
    func failure(_ sources: [Source], base: String = "b", product: String = "p")
      -> SourceAddressedTag.InputError?
    {
      do {
        _ = try SourceAddressedTag(sources: sources, base: base, product: product)
        return nil
      } catch { return error }
    }
    #expect(failure([]) == .noSources)
    #expect(
      failure([Source(path: "a", objectID: oid)], base: "") == .emptyName(field: "base image name"))
    #expect(
      failure([Source(path: "a", objectID: oid), Source(path: "a", objectID: oid)])
        == .duplicatePath("a"))
    #expect(
      failure([Source(path: "a", objectID: "xyz")]) == .invalidObjectID(path: "a", objectID: "xyz"))
    for path in ["", "/abs", "a//b", "a/", "./a", "a/../b"] {
      guard case .invalidPath(let reported, _) = failure([Source(path: path, objectID: oid)]) else {
        Issue.record("\(path) was accepted")
        continue
      }
      #expect(reported == path)
    }
    // SHA-256 Git object ids are accepted too.
    #expect(failure([Source(path: "a", objectID: String(repeating: "ab", count: 32))]) == nil)
  }
}
