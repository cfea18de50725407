import ArgumentParser
import Foundation
import OCI
import Registry

/// `tripgen image push oci:DIR:TAG REGISTRY/REPO:TAG`: uploads an image of an OCI layout.
struct ImagePushCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "push",
    abstract: "Push an image from an OCI layout to a registry.",
    discussion: """
      Uploads the blobs the repository lacks (three at a time; large ones in chunks), then puts \
      the manifest, byte for byte, under every tag. Credentials come from \
      TRIPGEN_REGISTRY_USERNAME/TRIPGEN_REGISTRY_PASSWORD, else from the `auths` of \
      ~/.docker/config.json; credential helpers and ACR's Entra ID exchange are not supported yet.
      """)

  @Argument(help: "The image to push: oci:DIR:TAG.")
  var source: String

  @Argument(help: "Where to push it: REGISTRY/REPOSITORY:TAG.")
  var destination: String

  @OptionGroup var registry: ImageRegistryOptions

  @Option(help: "text (progress lines) or json (the pushed digests on standard output).")
  var output: ImageBuildCommand.OutputFormat = .text

  func run() async throws {
    guard case .layout(let layout) = try ImageReference(parsing: source) else {
      throw ValidationError("\(source): the source is an OCI layout, oci:DIR:TAG")
    }
    guard case .registry(let target) = try ImageReference(parsing: destination) else {
      throw ValidationError("\(destination): the destination is a registry, REGISTRY/REPO:TAG")
    }
    let progress = ImageOutput.progress(for: output)
    let report = try await registry.push(layout, to: target, progress: progress)
    if output == .json {
      try ImageOutput.printJSON(report)
    } else {
      progress("pushed \(report.repository)@\(report.manifestDigest)")
    }
  }
}

/// Where image commands write: in JSON mode standard output carries only the result, so progress
/// goes to standard error. Written unbuffered, so each line shows as it happens.
enum ImageOutput {
  static func progress(for format: ImageBuildCommand.OutputFormat) -> @Sendable (String) -> Void {
    let handle = format == .json ? FileHandle.standardError : FileHandle.standardOutput
    return { line in handle.write(Data((line + "\n").utf8)) }
  }

  static func printJSON(_ value: some Encodable) throws {
    FileHandle.standardOutput.write(Data(try CanonicalJSON.encode(value) + [UInt8(ascii: "\n")]))
  }
}
