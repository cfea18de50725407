import Environments
import Foundation
import Git
import OCI
import Registry
import TestSupport
import Testing

/// Image bindings from a real Git repository (made with the git command), looked up in a real
/// docker-registry and in an OCI layout.
@Suite struct ImageResolverTests {
  /// A repository with two services that share a kit, and an environment naming their sources.
  final class Fixture: Sendable {
    let directory: TemporaryDirectory
    let git: GitFixtureRepository
    let environment: Environment

    init(registry: String) throws {
      directory = try TemporaryDirectory(prefix: "image-resolver")
      git = try GitFixtureRepository(at: directory.file("repo").path)
      try git.write("Package.swift", "// swift-tools-version: 6.1\n")
      try git.write("Sources/user/main.swift", "print(\"user\")\n")
      try git.write("Sources/trip/main.swift", "print(\"trip\")\n")
      try git.write("Sources/Kit/Kit.swift", "public let kit = 1\n")
      try git.write("README.md", "# fixture\n")
      _ = try git.commitAll("first")
      environment = try EnvironmentLoader.decode(
        Array(
          """
          apiVersion: tripgen.io/v1alpha1
          kind: Environment
          metadata: {name: test}
          spec:
            source: {repository: ., branch: main}
            namespace: test
            cluster: {required: false}
            charts: [{release: app, path: charts/app}]
            registry: \(registry)
            images:
              - {name: user, sourcePaths: [Package.swift, Sources/user, Sources/Kit], values: user.image}
              - {name: trip, sourcePaths: [Package.swift, Sources/trip, Sources/Kit], values: trip.image}
            syncPolicy: {automated: false, prune: true, selfHeal: false}
          """.utf8), file: "environment.yaml")
    }

    func head() async throws -> (GitRepository, ObjectID) {
      let repository = try await GitRepository.open(at: git.path)
      return (repository, try await repository.resolve("HEAD").id)
    }

    /// The tag computed from `git rev-parse`'s object ids, independently of the Git module.
    func expectedTag(_ image: String, product: String) throws -> String {
      let paths = ["Package.swift", "Sources/\(image)", "Sources/Kit"]
      let sources = try paths.map {
        SourceAddressedTag.Source(path: $0, objectID: try git.git("rev-parse", "HEAD:\($0)"))
      }
      return try SourceAddressedTag(sources: sources, base: "host-runtime", product: product).tag
    }
  }

  @Test func tagsComeFromTheTreeIdsOfTheSourcePathsAtTheCommit() async throws {
    let fixture = try Fixture(registry: "{layout: .tripgen/images}")
    let (repository, first) = try await fixture.head()
    let resolver = ImageResolver(repository: repository, store: nil)
    let user = fixture.environment.spec.images[0]
    let tag = try await resolver.tag(of: user, at: first)
    #expect(tag == (try fixture.expectedTag("user", product: "user")))
    #expect(tag != (try await resolver.tag(of: fixture.environment.spec.images[1], at: first)))

    // A change outside the sources keeps the tag; a change to the shared kit changes both.
    try fixture.git.write("README.md", "# fixture, edited\n")
    _ = try fixture.git.commitAll("docs")
    let docs = try await repository.resolve("HEAD").id
    #expect(try await resolver.tag(of: user, at: docs) == tag)
    try fixture.git.write("Sources/Kit/Kit.swift", "public let kit = 2\n")
    _ = try fixture.git.commitAll("kit")
    let kit = try await repository.resolve("HEAD").id
    let changed = try await resolver.tag(of: user, at: kit)
    #expect(changed != tag)
    #expect(changed == (try fixture.expectedTag("user", product: "user")))
    #expect(changed.hasPrefix("src-") && changed.count == 24)
  }

  @Test func aSourcePathMissingAtTheCommitIsNamed() async throws {
    let fixture = try Fixture(registry: "{layout: .tripgen/images}")
    let (repository, head) = try await fixture.head()
    let image = EnvironmentImage(
      name: "ghost", sourcePaths: ["Package.swift", "Sources/ghost"], values: "ghost.image")
    await #expect {
      try await ImageResolver(repository: repository, store: nil).tag(of: image, at: head)
    } throws: { error in
      "\(error)".contains(
        "image ghost: source path Sources/ghost does not exist at commit \(head.hex)")
    }
  }

  @Test func digestsComeFromTheRegistryWhenTheTagIsPushed() async throws {
    let registry = try RegistryServer()
    defer { registry.stop() }
    let fixture = try Fixture(registry: "{host: \"\(registry.host)\"}")
    let (repository, head) = try await fixture.head()
    let client = RegistryClient(
      registry: registry.host,
      configuration: RegistryClientConfiguration(
        credentials: RegistryCredentials(username: registry.username, password: registry.password)))
    let resolver = ImageResolver(repository: repository, store: client)
    let userTag = try await resolver.tag(of: fixture.environment.spec.images[0], at: head)
    let layout = fixture.directory.file("build").path
    let digest = try LayoutTestImage.write(layout: layout, tag: userTag, label: "user")
    _ = try await ImagePusher(client: client).push(
      try LayoutReference(path: layout, tag: userTag), to: "user", tags: [userTag])

    let bindings = try await resolver.bindings(for: fixture.environment, at: head)
    #expect(bindings.map(\.name) == ["user", "trip"])
    #expect(bindings[0].digest == digest.description)
    #expect(bindings[0].reference == "\(registry.host)/user@\(digest)")
    // trip is not pushed: bound by its tag, waiting.
    #expect(bindings[1].digest == nil)
    #expect(bindings[1].reference == "\(registry.host)/trip:\(bindings[1].tag)")
  }

  @Test func aRegistryThatRefusesUsIsAnErrorNotAMissingImage() async throws {
    let registry = try RegistryServer()
    defer { registry.stop() }
    let fixture = try Fixture(registry: "{host: \"\(registry.host)\"}")
    let (repository, head) = try await fixture.head()
    let client = RegistryClient(
      registry: registry.host,
      configuration: RegistryClientConfiguration(
        credentials: RegistryCredentials(username: registry.username, password: "wrong")))
    await #expect {
      try await ImageResolver(repository: repository, store: client)
        .bindings(for: fixture.environment, at: head)
    } throws: { error in
      "\(error)".hasPrefix("image user: looking up \(registry.host)/user:src-")
        && !"\(error)".contains("wrong")
    }
  }

  @Test func digestsComeFromTheOCILayout() async throws {
    let fixture = try Fixture(registry: "{layout: .tripgen/images}")
    let (repository, head) = try await fixture.head()
    let layout = fixture.git.path + "/.tripgen/images"
    let resolver = ImageResolver(repository: repository, store: LayoutImageStore(directory: layout))
    // No layout yet: nothing is built, every image waits.
    #expect(
      try await resolver.bindings(for: fixture.environment, at: head).allSatisfy {
        $0.digest == nil
      })
    let tripTag = try await resolver.tag(of: fixture.environment.spec.images[1], at: head)
    let digest = try LayoutTestImage.write(layout: layout, tag: tripTag, label: "trip")
    let bindings = try await resolver.bindings(for: fixture.environment, at: head)
    #expect(bindings[0].digest == nil)
    #expect(bindings[1].digest == digest.description)
    #expect(bindings[1].registry == nil)
    #expect(bindings[1].reference == "trip@\(digest)")
  }

  @Test func uncommittedChangesToSourcePathsAreReported() async throws {
    let fixture = try Fixture(registry: "{layout: .tripgen/images}")
    let (repository, head) = try await fixture.head()
    let resolver = ImageResolver(repository: repository, store: nil)
    #expect(
      try await resolver.uncommittedChanges(
        for: fixture.environment, at: head, workingDirectory: fixture.git.path
      ).isEmpty)
    try fixture.git.write("Sources/user/main.swift", "print(\"user, edited\")\n")
    try fixture.git.write("Sources/Kit/New.swift", "// new\n")
    try fixture.git.write("README.md", "# not a source\n")
    let changes = try await resolver.uncommittedChanges(
      for: fixture.environment, at: head, workingDirectory: fixture.git.path)
    #expect(changes == ["user": ["Sources/user", "Sources/Kit"], "trip": ["Sources/Kit"]])
    try FileManager.default.removeItem(atPath: fixture.git.path + "/Package.swift")
    let deleted = try await resolver.uncommittedChanges(
      for: fixture.environment, at: head, workingDirectory: fixture.git.path)
    #expect(deleted["trip"] == ["Package.swift", "Sources/Kit"])
  }
}
