import ArgumentParser
import Checks
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

  @Option(help: "A branch, tag or commit of the repository (default: the working tree).")
  var revision: String?

  @Option(name: .shortAndLong, help: "Output format: text (tables) or json.")
  var output: Format = .text

  func run() async throws {
    let revision = try await EnvironmentRevision.load(environment, revision: revision)
    let bindings = try await revision.bindings(lookup: .none, root: environment.root)
    let files = revision.files
    let report = try await Task.detached {
      let state = try EnvironmentRenderer().render(
        revision.environment, files: files, revision: revision.label, images: bindings)
      return EnvironmentCheck.run(state, files: files)
    }.value
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
