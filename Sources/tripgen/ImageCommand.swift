import ArgumentParser

/// `tripgen image`: container images without a Docker engine.
struct ImageCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "image",
    abstract: "Build container images without a Docker engine.",
    subcommands: [ImageBuildCommand.self, ImagePushCommand.self, ImageInspectCommand.self]
  )
}
