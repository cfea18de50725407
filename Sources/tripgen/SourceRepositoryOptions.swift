import ArgumentParser
import Foundation
import Git

/// The options every `tripgen source` command takes: where the repository is and how to reach it.
/// As in every verb, `--repo PATH` is a local checkout and `--repo-url URL` a remote repository;
/// `--repo URL`, which this command used to take, still works for one release, with a note.
struct SourceRepositoryOptions: ParsableArguments {
  @Option(
    name: .customLong("repo"),
    help: ArgumentHelp(
      "A local checkout, read in place (default: the current directory).", valueName: "path"))
  var repo: String?

  @Option(
    name: .customLong("repo-url"),
    help: ArgumentHelp(
      "A remote repository, mirrored into --cache-dir and fetched before it is read.",
      valueName: "url"))
  var repoURL: String?

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
    if repo != nil && repoURL != nil {
      throw ValidationError("give --repo PATH (a local checkout) or --repo-url URL, not both")
    }
    if let repo, Self.isURL(repo) {
      standardError(OldSpelling.note("--repo URL", new: "--repo-url URL"))
    }
    if passwordEnv != nil && tokenEnv != nil {
      throw ValidationError("give --password-env or --token-env, not both")
    }
  }

  /// The repository as given: `--repo-url`, else `--repo`, else the current directory.
  var repository: String { repoURL ?? repo ?? "." }

  /// Whether the repository is mirrored and fetched (`--repo-url`, or a URL given to `--repo`)
  /// rather than opened in place.
  var isRemote: Bool { repoURL != nil || repo.map(Self.isURL) == true }

  /// A URL (`file://` included) or scp-like `user@host:path`, as opposed to a local path.
  static func isURL(_ text: String) -> Bool {
    guard let remote = try? RemoteURL(text) else { return false }
    return remote.transport != .file || text.hasPrefix("file://")
  }

  /// The repository, opened in place when it is a local checkout, or mirrored and fetched first.
  func openRepository() async throws -> GitRepository {
    let remote = try RemoteURL(repository)
    if !isRemote {
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

/// `--revision REV`, the revision a `tripgen source` command reads (`--ref`, its old spelling, is
/// still accepted for one release).
struct SourceRevisionOptions: ParsableArguments {
  @Option(help: "A branch, tag, or full or short commit id (default: HEAD).")
  var revision: String?

  /// `--ref`, the old spelling of `--revision`.
  @Option(name: .customLong("ref"), help: .hidden)
  var oldRef: String?

  /// The revision to read.
  var value: String { revision ?? oldRef ?? "HEAD" }

  func validate() throws {
    try OldSpelling.check(
      "--ref", given: oldRef != nil, new: "--revision", newGiven: revision != nil)
  }
}

/// Prints a value as pretty, key-sorted JSON.
func printJSON(_ value: some Encodable) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  encoder.dateEncodingStrategy = .iso8601
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
