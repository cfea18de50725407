import Foundation

/// The job summary and step outputs of a run, as GitHub Actions shows and passes them on.
public enum CISummary {
  /// The step outputs: per service `<service>-image` (reference with digest) and
  /// `<service>-rebuilt` (`true`/`false`); `revision`; the plan's counts `plan-create`,
  /// `plan-update`, `plan-prune`, `plan-unchanged`; `images` (all references, one per line).
  public static func outputs(_ report: CIReport) -> [(name: String, value: String)] {
    var outputs: [(name: String, value: String)] = [("revision", report.revision)]
    for image in report.images {
      outputs.append(("\(image.service)-image", image.reference))
      outputs.append(("\(image.service)-rebuilt", image.rebuilt ? "true" : "false"))
    }
    outputs.append(("images", report.images.map(\.reference).joined(separator: "\n")))
    if let plan = report.plan {
      outputs.append(("plan-against", plan.against))
      outputs.append(("plan-create", String(plan.create)))
      outputs.append(("plan-update", String(plan.update)))
      outputs.append(("plan-prune", String(plan.prune)))
      outputs.append(("plan-unchanged", String(plan.unchanged)))
    }
    if let checks = report.checks {
      outputs.append(("check-errors", String(checks.errors.count)))
      outputs.append(("check-warnings", String(checks.warnings.count)))
    }
    outputs.append(("result", report.failure == nil ? "success" : "failure"))
    return outputs
  }

  /// The Markdown summary: images, the plan with each change collapsed, timings, and the failure.
  public static func markdown(_ report: CIReport) -> String {
    var summary = MarkdownSummary()
    summary.heading("tripgen ci: \(report.environment) at \(report.revision.prefix(12))")
    if let failure = report.failure {
      let place = failure.file.map { " (\($0)\(failure.line.map { ":\($0)" } ?? ""))" } ?? ""
      summary.paragraph("Failed\(place): \(failure.message)")
    }
    if !report.images.isEmpty {
      summary.heading("Images", level: 3)
      summary.table(
        ["service", "tag", "digest", "built or reused", "size"],
        report.images.map {
          [
            $0.service, $0.tag, $0.digest, $0.outcome.rawValue + ": " + $0.reason,
            ByteCount.format($0.size),
          ]
        }, alignRight: [4])
    }
    if let checks = report.checks { CheckTables.add(checks, to: &summary) }
    if let plan = report.plan {
      summary.heading("Plan", level: 3)
      if plan.against == "empty" {
        summary.paragraph(
          "Against an EMPTY cluster (\(plan.note ?? "no cluster")): everything would be created.")
      } else {
        summary.paragraph("Against the live cluster.")
      }
      summary.table(
        ["create", "update", "prune", "unchanged"],
        [[String(plan.create), String(plan.update), String(plan.prune), String(plan.unchanged)]],
        alignRight: [0, 1, 2, 3])
      for change in plan.changes {
        summary.details(
          "\(change.action) \(change.object)",
          code: change.diff.isEmpty ? "(deleted)" : change.diff,
          language: "diff")
      }
    }
    if !report.timings.isEmpty {
      summary.heading("Timings", level: 3)
      summary.table(
        ["stage", "seconds"],
        report.timings.map { [$0.stage, String(format: "%.2f", $0.seconds)] }, alignRight: [1])
    }
    return summary.text
  }

  /// Writes the outputs to `$GITHUB_OUTPUT` and the summary to `$GITHUB_STEP_SUMMARY` when those
  /// variables are set.
  /// Registered secrets are masked in both.
  public static func publish(
    _ report: CIReport, environment: [String: String], masker: SecretMasker
  ) throws(PipelineError) {
    if let path = environment["GITHUB_OUTPUT"], !path.isEmpty {
      try GitHubOutputFile(path: path).write(
        outputs(report).map { ($0.name, masker.mask($0.value)) })
    }
    if let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
      try FileAppender.append(
        masker.mask(markdown(report)), to: path, purpose: "the job summary")
    }
  }
}
