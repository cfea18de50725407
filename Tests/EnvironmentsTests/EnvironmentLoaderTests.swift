import Environments
import Foundation
import Git
import Testing
import YAML

/// The environment files: the checked-in ones load, and every kind of mistake is reported with the
/// file, the line and the field.
@Suite struct EnvironmentLoaderTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static let repository = DirectorySourceFiles(root: root)

  @Test func theDevEnvironmentSaysWhatTheSeedSays() throws {
    let dev = try EnvironmentLoader.load(name: "dev", from: Self.repository)
    #expect(dev.spec.namespace == "tripgen-dev")
    #expect(dev.spec.registry.host == "tripgendev.azurecr.io")
    #expect(
      dev.spec.images.map(\.name) == [
        "user-service", "trip-service", "ai-service", "location-service",
      ])
    #expect(
      dev.spec.syncPolicy
        == SyncPolicy(
          automated: true, prune: true, selfHeal: true,
          retry: .init(limit: 3, backoff: .init(duration: "5s", factor: 2, maxDuration: "3m"))))
    let pool = try #require(dev.spec.nodePool)
    #expect(
      (pool.vmSize, pool.vcpus, pool.memory, pool.count, pool.maxPods, pool.spot) == (
        "Standard_B2s", 2, "4Gi", 2, 30, true
      ))
    let cost = try #require(dev.spec.cost)
    #expect(cost.monthlyBudget == 200)
    #expect(cost.lines.map(\.monthly).reduce(0, +) == 170)
  }

  @Test func theLocalEnvironmentNeedsNoCloud() throws {
    let local = try EnvironmentLoader.load(name: "local", from: Self.repository)
    #expect(local.spec.registry.layout == ".tripgen/images")
    #expect(local.spec.registry.host == nil)
    #expect(local.spec.cluster.required == false)
    #expect(EnvironmentLoader.names(in: Self.repository).contains("local"))
  }

  @Test func theSchemaFileForEditorsIsTheSchemaTheLoaderUses() throws {
    let file = try String(
      contentsOfFile: Self.root + "/environments/environment.schema.json", encoding: .utf8)
    #expect(file == EnvironmentSchema.json + "\n")
    _ = try YAML.loadOne(EnvironmentSchema.json)
  }

  static func devText() throws -> String {
    try String(contentsOfFile: Self.root + "/environments/dev/environment.yaml", encoding: .utf8)
  }

  static func load(_ text: String) throws -> Environment {
    try EnvironmentLoader.decode(Array(text.utf8), file: "environments/dev/environment.yaml")
  }

  @Test func anUnknownKeyIsAnErrorWithItsLine() throws {
    let text = try Self.devText().replacingOccurrences(
      of: "    prune: true\n", with: "    prune: true\n    selfheal: true\n")
    let line =
      text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
        $0.contains("selfheal")
      }! + 1
    #expect {
      try Self.load(text)
    } throws: { error in
      let message = "\(error)"
      return message.contains("environments/dev/environment.yaml")
        && message.contains("line \(line):")
        && message.contains("spec.syncPolicy") && message.contains("selfheal")
    }
  }

  @Test func aWrongTypeIsAnErrorWithItsLine() throws {
    let text = try Self.devText().replacingOccurrences(
      of: "    maxPods: 30", with: "    maxPods: thirty")
    let line =
      text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
        $0.contains("thirty")
      }! + 1
    #expect {
      try Self.load(text)
    } throws: { error in
      "\(error)".contains("line \(line): spec.nodePool.maxPods:")
    }
  }

  @Test func aDurationNotInGoFormatIsNamed() throws {
    let text = try Self.devText().replacingOccurrences(
      of: "interval: 60s", with: "interval: 1 minute")
    #expect { try Self.load(text) } throws: { "\($0)".contains("spec.source.interval") }
  }

  @Test func anImageListedTwiceIsNamed() throws {
    let text = try Self.devText().replacingOccurrences(
      of: "- name: trip-service", with: "- name: user-service")
    #expect { try Self.load(text) } throws: { error in
      "\(error)".contains("spec.images[1].name") && "\(error)".contains("listed twice")
    }
  }

  @Test func theFolderAndTheNameMustAgree() throws {
    let text = try Self.devText()
    let tree = FileTree(files: [
      "environments/staging/environment.yaml": Array(text.utf8),
      "environments/dev/values.yaml": [], "charts/tripgen/Chart.yaml": [],
    ])
    #expect { try EnvironmentLoader.load(name: "staging", from: tree) } throws: { error in
      "\(error)".contains("environments/staging/environment.yaml:7: metadata.name")
    }
    #expect { try EnvironmentLoader.load(name: "prod", from: tree) } throws: { error in
      "\(error)".contains("environment \"prod\" not found") && "\(error)".contains("staging")
    }
  }

  @Test func aMissingValuesFileIsNamed() throws {
    let tree = FileTree(files: [
      "environments/dev/environment.yaml": Array(try Self.devText().utf8),
      "charts/tripgen/Chart.yaml": [],
    ])
    #expect { try EnvironmentLoader.load(name: "dev", from: tree) } throws: { error in
      "\(error)".contains("environments/dev/values.yaml does not exist")
    }
  }

  @Test func durationsAreReadAsGoReadsThem() throws {
    #expect(try DurationSetting.seconds("1m30s", field: "f") == 90)
    #expect(try DurationSetting.seconds("1.5h", field: "f") == 5400)
    #expect(try DurationSetting.seconds("300ms", field: "f") == 0.3)
    #expect(throws: EnvironmentError.self) { try DurationSetting.seconds("10", field: "f") }
    #expect(throws: EnvironmentError.self) { try DurationSetting.seconds("", field: "f") }
  }

  @Test func retriesBackOffExponentiallyUpToTheCap() throws {
    let retry = SyncPolicy.Retry(
      limit: 3, backoff: .init(duration: "5s", factor: 2, maxDuration: "12s"))
    #expect(try (0..<4).map { try retry.delay(beforeRetry: $0) } == [5, 10, 12, 12])
  }
}
