import ArgumentParser
import Blocking
import Checks
import Delivery
import Environments
import Foundation

/// `tripgen check --env NAME`: the offline checks that fail CI before anything reaches a cluster.
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check an environment offline: Kubernetes schemas, capacity, cost and policy.",
    discussion: """
      Renders the environment (images by their source-addressed tags; no registry or cluster is \
      contacted) and checks that every object validates against the Kubernetes 1.29 schemas \
      (unknown fields are errors), that the requests fit the node pool after AKS's reservations, \
      that the monthly cost fits the budget, and the policies: pinned images, requests and \
      limits, probes, no secrets in the repository, a NetworkPolicy for every Service. Prints \
      tables and every finding; exits 1 when any check fails.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
  }

  @OptionGroup var environment: EnvironmentOptions

  @Option(name: .shortAndLong, help: "Output format: text (tables) or json.")
  var output: Format = .text

  func run() async throws {
    let source = try await environment.source()
    let revision = try await environment.resolve(in: source)
    let (loaded, files) = try await source.files(of: environment.name, at: revision)
    // Offline: no check reads an image's digest, only its reference.
    let images = StoreImageBindings(
      repository: source.repository, stores: ImageStores(root: nil), offline: true)
    let state = try await Delivery(source: source, images: images).render(
      loaded, files: files, at: revision,
      images: try await images.bindings(for: loaded, at: revision))
    let report = await offPool { EnvironmentCheck.run(state, files: files) }
    switch output {
    case .text:
      FileHandle.standardOutput.write(Data(report.text.utf8))
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
    }
    if !report.passed { throw ExitCode(1) }
  }
}
