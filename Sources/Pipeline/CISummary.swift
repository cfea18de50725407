import Foundation

/// The job summary and step outputs of a run, as GitHub Actions shows and passes them on.
public enum CISummary {
  /// The step outputs, per service image (as docker/build-push-action gives `digest`):
  /// `<service>-image` (a reference skopeo copies from: `registry/repository@digest`, or
  /// `oci:DIR:TAG` for a layout or a build not pushed), `<service>-digest` (`sha256:...`),
  /// `<service>-ref` (`[registry/]repository@digest`: the digest-pinned reference the rendered
  /// manifests use) and `<service>-rebuilt` (`true`/`false`); then `revision`; `images` (every
  /// `<service>-image`, one per line); `digests` and `refs` (JSON objects, service to digest and
  /// to pinned reference); the plan's counts `plan-against`, `plan-create`, `plan-update`,
  /// `plan-prune`, `plan-unchanged`; `check-errors`, `check-warnings`; `result`.
  public static func outputs(_ report: CIReport) -> [(name: String, value: String)] {
    var outputs: [(name: String, value: String)] = [("revision", report.revision)]
    for image in report.images {
      outputs.append(("\(image.service)-image", image.reference))
      outputs.append(("\(image.service)-digest", image.digest))
      if let pinned = image.pinnedReference {
        outputs.append(("\(image.service)-ref", pinned))
      }
      outputs.append(("\(image.service)-rebuilt", image.rebuilt ? "true" : "false"))
    }
    outputs.append(("images", report.images.map(\.reference).joined(separator: "\n")))
    outputs.append(("digests", jsonObject(report.images.map { ($0.service, $0.digest) })))
    let refs = report.images.compactMap { image in
      image.pinnedReference.map { (image.service, $0) }
    }
    outputs.append(("refs", jsonObject(refs)))
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

  /// `{"name":"value",...}`, keys sorted, on one line (for `fromJSON` in a workflow).
  static func jsonObject(_ pairs: [(String, String)]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try? encoder.encode(Dictionary(pairs, uniquingKeysWith: { first, _ in first }))
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
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
