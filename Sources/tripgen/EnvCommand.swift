import ArgumentParser
import Environments
import Foundation

/// `tripgen env`: the environment files themselves.
struct EnvCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract: "Environment files: their JSON Schema.",
    subcommands: [EnvSchemaCommand.self])
}

/// `tripgen env schema`: the JSON Schema of environment.yaml, for editors and other tools.
struct EnvSchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Print the JSON Schema (draft-07) of environments/<name>/environment.yaml.")

  func run() {
    print(EnvironmentSchema.json)
  }
}
