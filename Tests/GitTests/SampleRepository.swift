import Foundation
import TestSupport

/// A repository built with the git command for the tests: two commits touching charts, a file with
/// spaces and non-ASCII characters in its path, an executable, a symlink, an annotated and a
/// lightweight tag, and a bare copy under `served/` that the servers serve as `sample.git`.
struct SampleRepository {
  let directory: TemporaryDirectory
  let work: GitFixtureRepository
  /// The directory the servers export: it holds `sample.git`.
  let servedRoot: String
  /// The bare repository that remotes point to.
  let bare: String
  /// The first commit (tagged `v1`, annotated, and `v1-light`, lightweight).
  let first: String
  /// The second commit, the tip of `main`.
  let second: String

  static let unusualPath = "dir with space/ünïcødé file #1.txt"
  static let deploymentYAML = String(
    repeating: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n", count: 20)

  init() throws {
    directory = try TemporaryDirectory(prefix: "tripgen-git")
    work = try GitFixtureRepository(at: directory.file("work").path)
    try work.write("README.md", "# Sample\n")
    try work.write("charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n")
    try work.write("charts/app/values.yaml", "replicas: 1\n")
    try work.write("charts/app/templates/deployment.yaml", Self.deploymentYAML)
    try work.write(Self.unusualPath, "unusual\n")
    try work.write("bin/run.sh", "#!/bin/sh\necho run\n")
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: work.path + "/bin/run.sh")
    try FileManager.default.createSymbolicLink(
      atPath: work.path + "/link", withDestinationPath: "README.md")
    first = try work.commitAll("First commit\n\nWith a body.")
    try work.git("tag", "-a", "v1", "-m", "Version 1")
    try work.git("tag", "v1-light")
    try work.write("charts/app/values.yaml", "replicas: 3\n")
    try work.git("mv", "charts/app/templates/deployment.yaml", "charts/app/templates/deploy.yaml")
    try work.write("services/api/main.swift", "print(\"api\")\n")
    try work.git("rm", "--quiet", "bin/run.sh")
    second = try work.commitAll("Second commit")
    servedRoot = directory.file("served").path
    bare = servedRoot + "/sample.git"
    try work.publish(to: bare)
  }

  /// A directory for a mirror, inside this repository's temporary directory.
  func mirrorDirectory(_ name: String = "mirror") -> String { directory.file(name).path }
}
