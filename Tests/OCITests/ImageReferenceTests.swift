import OCI
import Testing

@Suite struct ImageReferenceTests {
  @Test(arguments: [
    ("swift", "docker.io/library/swift:latest"),
    ("swift:6.3", "docker.io/library/swift:6.3"),
    ("docker.io/bitnami/redis:7", "docker.io/bitnami/redis:7"),
    ("index.docker.io/library/alpine", "docker.io/library/alpine:latest"),
    ("docker://alpine:3.20", "docker.io/library/alpine:3.20"),
    ("localhost:5000/tripgen/api:abc", "localhost:5000/tripgen/api:abc"),
    ("localhost/api", "localhost/api:latest"),
    ("ghcr.io/owner/app:v1.2.3", "ghcr.io/owner/app:v1.2.3"),
    ("127.0.0.1:5000/a__b/c-d.e", "127.0.0.1:5000/a__b/c-d.e:latest"),
    (
      "r.example.com:443/app@sha256:" + String(repeating: "ab", count: 32),
      "r.example.com:443/app@sha256:" + String(repeating: "ab", count: 32)
    ),
    (
      "app:1@sha256:" + String(repeating: "0", count: 64),
      "docker.io/library/app:1@sha256:" + String(repeating: "0", count: 64)
    ),
  ])
  func registryReferencesNormalise(text: String, expected: String) throws {
    #expect(try ImageReference(parsing: text).description == expected)
  }

  @Test func layoutReferences() throws {
    #expect(
      try ImageReference(parsing: "oci:/tmp/layout:v1")
        == .layout(try LayoutReference(path: "/tmp/layout", tag: "v1")))
    #expect(try LayoutReference(parsing: "oci:out").tag == "latest")
  }

  @Test(arguments: [
    "Upper/Case", "repo:", "repo:-tag", "a//b", "app@sha256:xyz", "host.io/", "oci::tag",
    "repo:" + String(repeating: "t", count: 129), "a--_b",
  ])
  func invalidReferencesAreRejected(text: String) {
    #expect(throws: OCIError.self) { try ImageReference(parsing: text) }
  }

  @Test func registryFieldsAreSplit() throws {
    let reference = try RegistryReference(parsing: "localhost:5000/team/app:1.0")
    #expect(reference.registry == "localhost:5000")
    #expect(reference.repository == "team/app")
    #expect(reference.tag == "1.0")
    #expect(reference.digest == nil)
  }
}
