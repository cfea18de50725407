import ArgumentParser
import Foundation
import Git

/// The options every `tripgen source` command takes: where the repository is and how to reach it.
struct SourceRepositoryOptions: ParsableArguments {
  @Option(name: .customLong("repo"), help: "A local repository path or a remote URL.")
  var repository: String

  @Option(help: "The user name for HTTP(S) or SSH (any name works with a GitHub token).")
  var username: String?

  @Option(help: "An environment variable holding the HTTP(S) password.")
  var passwordEnv: String?

  @Option(help: "An environment variable holding an HTTP(S) token (e.g. a GitHub token).")
  var tokenEnv: String?

  @Option(help: "A private key file for SSH.")
  var sshKey: String?

  @Option(help: "An environment variable holding the SSH key's passphrase.")
  var sshPassphraseEnv: String?

  @Option(help: "The known_hosts file SSH host keys are checked against (required for SSH).")
  var knownHosts: String?

  @Option(help: "A PEM file of CA certificates to verify HTTPS servers with.")
  var caFile: String?

  @Option(help: "The directory that holds mirrors of remote repositories.")
  var cacheDir: String?

  func validate() throws {
    if passwordEnv != nil && tokenEnv != nil {
      throw ValidationError("give --password-env or --token-env, not both")
    }
  }

  /// The repository, opened in place when `--repo` is a local path, or mirrored and fetched first.
  func openRepository() async throws -> GitRepository {
    let remote = try RemoteURL(repository)
    if remote.transport == .file && !repository.hasPrefix("file://") {
      return try await GitRepository.open(at: repository)
    }
    let mirror = try await GitRepository.mirror(
      of: repository, credentials: try credentials(),
      in: cacheDir.map { $0 + "/" + remote.cacheName })
    _ = try await mirror.fetch()
    return mirror
  }

  private func credentials() throws -> GitCredentials {
    GitCredentials(
      username: username,
      password: try secret(passwordEnv, option: "--password-env")
        ?? secret(tokenEnv, option: "--token-env"),
      sshPrivateKey: sshKey,
      sshPassphrase: try secret(sshPassphraseEnv, option: "--ssh-passphrase-env"),
      knownHosts: knownHosts, certificateAuthorityFile: caFile)
  }

  /// Reads a secret from the named environment variable; its value is never printed.
  private func secret(_ variable: String?, option: String) throws -> String? {
    guard let variable else { return nil }
    guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
      throw ValidationError("\(option) \(variable): the environment variable is not set or empty")
    }
    return value
  }
}

/// Prints a value as pretty, key-sorted JSON.
func printJSON(_ value: some Encodable) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  encoder.dateEncodingStrategy = .iso8601
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
