import Foundation
import Testing
import YAML

@testable import Pipeline

/// The step outputs of `tripgen ci`: per service image its skopeo reference, digest, digest-pinned
/// reference and whether it was rebuilt, and JSON maps of the digests and references, so that a later
/// step can pin exactly what was built.
@Suite struct CISummaryOutputsTests {
  static let digest = "sha256:" + String(repeating: "ab", count: 32)
  static let other = "sha256:" + String(repeating: "cd", count: 32)

  static func image(
    _ service: String, repository: String, digest: String, reference: String, pinned: String,
    outcome: CIReport.ImageResult.Outcome
  ) -> CIReport.ImageResult {
    CIReport.ImageResult(
      service: service, repository: repository, tag: "src-0123", digest: digest,
      reference: reference, pinnedReference: pinned, outcome: outcome, reason: "test", size: 1,
      uploadedBlobs: 0)
  }

  static func report() -> CIReport {
    var report = CIReport(environment: "dev", revision: "c0ffee")
    report.images = [
      image(
        "user-service", repository: "registry.test/user-service", digest: digest,
        reference: "registry.test/user-service@\(digest)",
        pinned: "registry.test/user-service@\(digest)", outcome: .built),
      image(
        "trip-service", repository: "/repo/.tripgen/images", digest: other,
        reference: "oci:/repo/.tripgen/images:src-0123", pinned: "tripgen/trip-service@\(other)",
        outcome: .reused),
    ]
    report.plan = CIReport.PlanSummary(
      against: "cluster", note: nil, create: 1, update: 2, unchanged: 3, prune: 0, changes: [])
    return report
  }

  @Test func everyImageHasItsDigestAndItsPinnedReference() throws {
    let outputs = Dictionary(
      CISummary.outputs(Self.report()).map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    #expect(outputs["user-service-image"] == "registry.test/user-service@\(Self.digest)")
    #expect(outputs["user-service-digest"] == Self.digest)
    #expect(outputs["user-service-ref"] == "registry.test/user-service@\(Self.digest)")
    #expect(outputs["user-service-rebuilt"] == "true")
    // A layout: skopeo's oci: transport takes a tag, so -image keeps it; -ref is what the
    // manifests reference.
    #expect(outputs["trip-service-image"] == "oci:/repo/.tripgen/images:src-0123")
    #expect(outputs["trip-service-digest"] == Self.other)
    #expect(outputs["trip-service-ref"] == "tripgen/trip-service@\(Self.other)")
    #expect(outputs["trip-service-rebuilt"] == "false")

    let digests = try JSONDecoder().decode(
      [String: String].self, from: Data(try #require(outputs["digests"]).utf8))
    #expect(digests == ["user-service": Self.digest, "trip-service": Self.other])
    let refs = try JSONDecoder().decode(
      [String: String].self, from: Data(try #require(outputs["refs"]).utf8))
    #expect(refs["trip-service"] == "tripgen/trip-service@\(Self.other)")
    #expect(!(outputs["digests"] ?? "").contains("\n"))
  }

  /// Every output the CI action declares is one `tripgen ci` writes, passed on unchanged.
  @Test func theCIActionPassesOnOutputsTripgenWrites() throws {
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = "pipelines/actions/ci/action.yml"
    let action = try YAML.loadOne(
      try [UInt8](Data(contentsOf: root.appendingPathComponent(path))), file: path)
    let written = Set(CISummary.outputs(Self.report()).map(\.name))
    let declared = try #require(action["outputs"]?.objectValue)
    #expect(declared.keys.contains("digests"))
    #expect(declared.keys.contains("refs"))
    for (name, output) in declared {
      #expect(output["value"]?.stringValue == "${{ steps.ci.outputs.\(name) }}", "\(name)")
      #expect(written.contains(name), "\(name) is not an output of tripgen ci")
    }
  }
}
