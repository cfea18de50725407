import ArgumentParser

/// `tripgen secrets`: the Secrets an environment needs, which never go in Git.
struct SecretsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "secrets",
    abstract: "Create or update the Secrets an environment's services read (never from Git).",
    subcommands: [SecretsApplyCommand.self])
}
