import ArgumentParser
import Delivery
import Foundation
import GitOps

/// `tripgen diff --env dev`: what a sync would change, by server-side dry run.
struct DiffCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Show how the cluster differs from an environment's desired state.",
    discussion: """
      Every desired object is applied with dryRun=All and the server's answer is compared with the \
      live object, leaving out status, managed fields, resource versions, timestamps and the \
      environment's ignoreDifferences. Secrets' values are masked. Exit status: 0 no difference, \
      1 differences, 2 error (as `argocd app diff`).
      """)

  @OptionGroup var options: GitOpsEnvironmentOptions

  @Option(name: .shortAndLong, help: "Output format: table (a diff per object), json or yaml.")
  var output: GitOpsOutputFormat = .table

  func run() async throws {
    let plan: SyncPlan
    do {
      let desired = try await options.desiredState()
      plan = try await Delivery.plan(
        desired, on: options.engine(for: desired.environment), requireImages: false)
    } catch {
      GitOpsPrinting.printError("error: \(error)")
      throw ExitCode(2)
    }
    switch output {
    case .json, .yaml:
      print(try GitOpsPrinting.encoded(PlanSummary(plan), as: output), terminator: "")
    case .table:
      print(Self.render(plan), terminator: "")
      for image in plan.waitingForImages {
        GitOpsPrinting.printError(
          "waiting for image: \(image.name) (\(image.reference)); a sync would apply nothing until it exists"
        )
      }
    }
    if plan.isOutOfSync { throw ExitCode(1) }
  }

  /// A section per object that differs: a `diff -u` of the live object against the server's
  /// dry-run answer (Secrets masked by the diff), as `argocd app diff` prints.
  static func render(_ plan: SyncPlan) -> String {
    var text = ""
    for object in plan.objects + plan.prune
    where object.action == .create || object.action == .update || object.action == .prune
      || (object.action == .skip && object.live != nil && object.desired == nil)
    {
      text += "===== \(object.key.description) (\(object.note ?? object.action.rawValue))\n"
      text += plan.diff(object).unifiedDiff(
        liveLabel: "live/\(object.key.displayName)",
        desiredLabel: "desired/\(object.key.displayName)")
    }
    return text
  }
}
