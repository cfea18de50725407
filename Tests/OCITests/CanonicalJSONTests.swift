import Testing

@testable import OCI

@Suite struct CanonicalJSONTests {
  @Test func keysAreSortedBytewiseWithoutWhitespace() throws {
    let configuration = RuntimeConfiguration(
      user: "65532:65532",
      exposedPorts: ["9090/tcp": EmptyObject(), "10000/tcp": EmptyObject()],
      env: ["A=\"quoted\"\n\\"], labels: ["b": "2", "B": "1", "a": "é"])
    let text = String(decoding: try CanonicalJSON.encode(configuration), as: UTF8.self)
    #expect(
      text
        == #"{"Env":["A=\"quoted\"\n\\"],"ExposedPorts":{"10000/tcp":{},"9090/tcp":{}},"#
        + #""Labels":{"B":"1","a":"é","b":"2"},"User":"65532:65532"}"#)
  }

  @Test func controlCharactersAreEscaped() throws {
    let text = String(decoding: try CanonicalJSON.encode(["k": "\u{1}\t"]), as: UTF8.self)
    #expect(text == #"{"k":"\u0001\t"}"#)
  }

  @Test func aManifestRoundTrips() throws {
    let digest = Digest(of: Array("config".utf8))
    let manifest = ImageManifest(
      config: Descriptor(mediaType: MediaType.imageConfig, digest: digest, size: 6), layers: [])
    let bytes = try CanonicalJSON.encode(manifest)
    #expect(try CanonicalJSON.decode(ImageManifest.self, from: bytes, path: "m") == manifest)
    #expect(
      String(decoding: bytes, as: UTF8.self)
        == #"{"config":{"digest":"\#(digest)","mediaType":"application/vnd.oci.image.config.v1+json","#
        + #""size":6},"layers":[],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}"#
    )
  }
}
