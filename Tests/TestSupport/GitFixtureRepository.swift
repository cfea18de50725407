import Foundation

/// A repository that a test builds with the `git` command (the product itself never runs git): a work
/// tree to commit in, pushed to bare repositories that the test servers serve.
public final class GitFixtureRepository: @unchecked Sendable {
  /// The work tree.
  public let path: String
  /// An isolated HOME for git, so the developer's ~/.gitconfig cannot change what fixtures contain.
  private let home: String

  /// Initialises an empty repository with branch `main` at `path`.
  public init(at path: String) throws {
    self.path = path
    self.home = path + "-home"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    try git("init", "--quiet", "--initial-branch=main")
  }

  /// The environment every fixture git command runs with: fixed identity, no system or user config.
  public static func environment(home: String) -> [String: String] {
    [
      "HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Ada Tester",
      "GIT_AUTHOR_EMAIL": "ada@example.test", "GIT_COMMITTER_NAME": "Ada Tester",
      "GIT_COMMITTER_EMAIL": "ada@example.test", "GIT_TERMINAL_PROMPT": "0",
    ]
  }

  /// Runs git in the work tree and returns its output without the trailing newline.
  @discardableResult
  public func git(_ arguments: String...) throws -> String {
    try git(arguments)
  }

  /// Runs git in the work tree and returns its output without the trailing newline.
  @discardableResult
  public func git(_ arguments: [String], input: Data? = nil) throws -> String {
    let output = try GitTestProcess.run(
      "/usr/bin/git", ["-c", "protocol.file.allow=always"] + arguments, in: path,
      environment: Self.environment(home: home), input: input)
    return output.hasSuffix("\n") ? String(output.dropLast()) : output
  }

  /// Writes a file (creating directories) in the work tree.
  public func write(_ relativePath: String, _ contents: String) throws {
    try write(relativePath, Data(contents.utf8))
  }

  /// Writes a file (creating directories) in the work tree.
  public func write(_ relativePath: String, _ contents: Data) throws {
    let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: url)
  }

  /// Stages everything and commits; returns the new commit id.
  @discardableResult
  public func commitAll(_ message: String) throws -> String {
    try git("add", "--all")
    try git("commit", "--quiet", "--allow-empty", "-m", message)
    return try git("rev-parse", "HEAD")
  }

  /// Creates a bare copy at `bare` that has this repository as its remote `served`, and pushes all
  /// branches and tags to it.
  public func publish(to bare: String) throws {
    try GitTestProcess.run(
      "/usr/bin/git", ["init", "--quiet", "--bare", "--initial-branch=main", bare],
      environment: Self.environment(home: home))
    try git("remote", "add", "served", bare)
    try push()
  }

  /// Pushes all branches and tags to the published bare copy, forcing, and deletes there the branches
  /// deleted here.
  public func push() throws {
    try git("push", "--quiet", "--force", "--prune", "served", "refs/heads/*:refs/heads/*")
    try git("push", "--quiet", "--force", "served", "refs/tags/*:refs/tags/*")
  }
}
