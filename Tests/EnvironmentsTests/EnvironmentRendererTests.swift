import Environments
import Foundation
import Git
import Testing
import YAML

/// The dev environment rendered as the engine applies it: namespaced, marked, images by digest.
@Suite struct EnvironmentRendererTests {
  static let digest = "sha256:" + String(repeating: "ab", count: 32)

  static func bindings(_ environment: Environment, digest: String?) -> [ImageBinding] {
    environment.spec.images.map {
      ImageBinding(
        name: $0.name, registry: environment.spec.registry.host, repository: $0.repositoryName,
        tag: "src-0123456789abcdef0123", digest: digest)
    }
  }

  static func renderDev(digest: String? = Self.digest) throws -> DesiredState {
    let files = EnvironmentLoaderTests.repository
    let dev = try EnvironmentLoader.load(name: "dev", from: files)
    return try EnvironmentRenderer().render(
      dev, files: files,
      revision: .commit(ObjectID(hex: "0000000000000000000000000000000000000001")!),
      images: bindings(dev, digest: digest))
  }

  @Test func everyObjectIsNamespacedAndCarriesTheEnvironmentsMarks() throws {
    let state = try Self.renderDev()
    #expect(state.objects.count > 20)
    for rendered in state.objects {
      #expect(rendered.key.namespace == "tripgen-dev", "\(rendered.key)")
      #expect(TrackingMarks.isOwned(rendered.object, by: "dev"), "\(rendered.key)")
      #expect(!TrackingMarks.isOwned(rendered.object, by: "local"))
      #expect(ObjectKey(object: rendered.object) == rendered.key)
    }
    #expect(Set(state.objects.map(\.key)).count == state.objects.count)
  }

  @Test func deploymentsPinTheBoundDigests() throws {
    let state = try Self.renderDev()
    for name in ["user-service", "trip-service", "ai-service", "location-service"] {
      let deployment = try #require(
        state.objects.first {
          $0.key
            == ObjectKey(group: "apps", kind: "Deployment", namespace: "tripgen-dev", name: name)
        })
      let image = deployment.object["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?
        .stringValue
      #expect(image == "tripgendev.azurecr.io/\(name)@\(Self.digest)")
    }
    #expect(state.waitingForImages.isEmpty)
  }

  @Test func imagesWithoutADigestAreWaitingAndReferencedByTag() throws {
    let state = try Self.renderDev(digest: nil)
    #expect(state.waitingForImages.count == 4)
    let deployment = try #require(
      state.objects.first { $0.key.kind == "Deployment" && $0.key.name == "ai-service" })
    #expect(
      deployment.object["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.stringValue
        == "tripgendev.azurecr.io/ai-service:src-0123456789abcdef0123")
  }

  @Test func aCopiedObjectWithOurLabelsButAnotherNameIsNotOurs() throws {
    let state = try Self.renderDev()
    var copy = try #require(state.objects.first { $0.key.kind == "ConfigMap" }).object
    copy.set(["metadata", "name"], "copied-by-hand")
    #expect(!TrackingMarks.isOwned(copy, by: "dev"))
  }

  @Test func aBrokenTemplateNamesItsFileAndLine() throws {
    let files = EnvironmentLoaderTests.repository
    let dev = try EnvironmentLoader.load(name: "dev", from: files)
    var tree = files.files(under: "charts/tripgen")
    tree["charts/tripgen/templates/ingress.yaml"] = Array(
      "kind: Ingress\n{{ .Values.broken \n".utf8)
    tree["environments/dev/values.yaml"] = files.file("environments/dev/values.yaml")
    let broken = InMemorySource(files: tree)
    #expect {
      try EnvironmentRenderer().render(
        dev, files: broken,
        revision: .commit(ObjectID(hex: "0000000000000000000000000000000000000001")!),
        images: Self.bindings(dev, digest: Self.digest))
    } throws: { error in
      "\(error)".contains("ingress.yaml:2")
    }
  }

  @Test func objectKeysRoundTripThroughText() {
    let key = ObjectKey(group: "", kind: "Service", namespace: "tripgen-dev", name: "redis")
    #expect(key.description == "/Service:tripgen-dev/redis")
    #expect(ObjectKey(key.description) == key)
    #expect(
      TrackingMarks.trackingID(environment: "dev", key: key) == "dev:/Service:tripgen-dev/redis")
    #expect(ObjectKey("nonsense") == nil)
  }
}

/// Files in memory, for rendering a broken revision without touching the repository.
struct InMemorySource: SourceFiles {
  var files: [String: [UInt8]]
  func file(_ path: String) -> [UInt8]? { files[path] }
  func files(under directory: String) -> [String: [UInt8]] {
    files.filter { $0.key.hasPrefix(directory + "/") }
  }
  func entries(of directory: String) -> [String] { [] }
  var displayName: String { "memory" }
}
