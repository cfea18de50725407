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
      TRIPGEN_REGISTRY_USERNAME/TRIPGEN_REGISTRY_PASSWORD; else, for *.azurecr.io (or with \
      TRIPGEN_REGISTRY_AUTH=entra), an Entra ID identity exchanged at ACR's /oauth2/exchange: \
      TRIPGEN_ACR_TOKEN_FILE (az acr login --expose-token output, - for standard input), \
      AZURE_ACCESS_TOKEN, AZURE_FEDERATED_TOKEN_FILE with AZURE_CLIENT_ID and AZURE_TENANT_ID \
      (workload identity), or GitHub Actions OIDC (ACTIONS_ID_TOKEN_REQUEST_URL, with \
      AZURE_CLIENT_ID and AZURE_TENANT_ID); else ~/.docker/config.json (credHelpers, auths, \
      credsStore).
      """)

  @Argument(help: "The image to push: oci:DIR:TAG.")
  var source: String

  @Argument(help: "Where to push it: REGISTRY/REPOSITORY:TAG.")
  var destination: String

  @OptionGroup var registry: ImageRegistryOptions

  @Option(
    name: .shortAndLong,
    help:
      "Output format: text (progress: a status line on a terminal, plain lines otherwise or when CI=true) or json (the pushed digests on standard output, progress on standard error)."
  )
  var output: ImageBuildCommand.OutputFormat = .text

  func run() async throws {
    guard case .layout(let layout) = try ImageReference(parsing: source) else {
      throw ValidationError("\(source): the source is an OCI layout, oci:DIR:TAG")
    }
    guard case .registry(let target) = try ImageReference(parsing: destination) else {
      throw ValidationError("\(destination): the destination is a registry, REGISTRY/REPO:TAG")
    }
    let display = ImageOutput.display(for: output)
    let report = try await registry.push(
      layout, to: target, progress: display.line, events: display.event)
    display.finish()
    if output == .json {
      try ImageOutput.printJSON(report)
    } else {
      display.line("pushed \(report.repository)@\(report.manifestDigest)")
    }
  }
}

/// Where image commands write: in JSON mode standard output carries only the result, so progress
/// goes to standard error. Written unbuffered, so each line shows as it happens.
enum ImageOutput {
  /// The progress display on standard output (standard error in JSON mode).
  static func display(for format: ImageBuildCommand.OutputFormat) -> PushProgressDisplay {
    PushProgressDisplay.make(
      for: format == .json ? FileHandle.standardError : FileHandle.standardOutput)
  }

  static func printJSON(_ value: some Encodable) throws {
    FileHandle.standardOutput.write(Data(try CanonicalJSON.encode(value) + [UInt8(ascii: "\n")]))
  }
}
