import ArgumentParser
import Foundation
import OCI
import Registry

/// `tripgen image inspect REGISTRY/REPO:TAG`: the manifest and config of a pushed image.
struct ImageInspectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Print the manifest digest, manifest and config of an image in a registry.")

  @Argument(help: "The image: REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:...")
  var reference: String

  @Option(
    name: .customLong("insecure-registry"),
    help: "A registry (host or host:port) to reach over plain HTTP (repeatable).")
  var insecureRegistries: [String] = []

  func run() async throws {
    guard case .registry(let target) = try ImageReference(parsing: reference) else {
      throw ValidationError("\(reference): expected REGISTRY/REPO:TAG")
    }
    let client = RegistryClient(
      registry: target.registry,
      configuration: RegistryClientConfiguration(
        authentication: try await RegistryCredentialStore.authentication(for: target.registry),
        insecureHosts: Set(insecureRegistries)))
    let manifest = try await client.manifest(
      target.digest?.description ?? target.tag ?? "latest", in: target.repository)
    var output = "{\"digest\":\"\(manifest.digest)\",\"mediaType\":\"\(manifest.mediaType)\""
    output += ",\"manifest\":" + String(decoding: manifest.bytes, as: UTF8.self)
    // An index has no config; a manifest's config is fetched and shown whole.
    if let parsed = try? JSONDecoder().decode(ImageManifest.self, from: manifest.bytes) {
      let config = try await client.blob(parsed.config.digest, in: target.repository)
      output += ",\"config\":" + String(decoding: config, as: UTF8.self)
    }
    print(output + "}")
  }
}
