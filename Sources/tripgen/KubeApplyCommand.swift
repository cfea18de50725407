import ArgumentParser
import Foundation
import Kube
import YAML

/// `tripgen kube apply -f FILE`: server-side apply of every document in the file.
struct KubeApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Server-side apply every object in a YAML file, printing what changed.")

  @OptionGroup var connection: KubeConnectionOptions

  @Option(
    name: [.customShort("f"), .customLong("filename")],
    help: "YAML file of objects ('-' for standard input).")
  var file: String

  @Flag(
    name: .customLong("dry-run"), help: "Ask the server what would change, without changing it.")
  var dryRun = false

  @Option(
    name: .customLong("field-manager"), help: "The field manager that owns the applied fields.")
  var fieldManager = "tripgen"

  @Flag(name: .customLong("force-conflicts"), help: "Take over fields other managers own.")
  var forceConflicts = false

  func run() async throws {
    let text: String
    if file == "-" {
      text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    } else {
      do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
        throw ValidationError("cannot read \(file): \(error.localizedDescription)")
      }
    }
    let objects = try YAML.load(text, file: file)
    let client = try connection.client()
    for outcome in try await client.applyAll(
      objects, fieldManager: fieldManager, force: forceConflicts, dryRun: dryRun)
    {
      print(outcome.line)
    }
  }
}
