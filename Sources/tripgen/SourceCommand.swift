import ArgumentParser

/// `tripgen source`: reads the Git repository that drives the reconciler, through libgit2.
struct SourceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "source",
    abstract: "Read revisions, files and changes from the Git source repository.",
    discussion: """
      --repo PATH is a local checkout, read in place (default: the current directory); \
      --repo-url URL is a remote repository: https://, http://, git://, ssh://, file:// or \
      scp-like user@host:org/repo, mirrored into the cache directory \
      ($XDG_CACHE_HOME/tripgen/git by default) and fetched before it is read. (--repo with a URL, \
      the old spelling, still works for one release.) Secrets are read from environment \
      variables, never from the command line.
      """,
    subcommands: [
      SourceRevisionCommand.self, SourceChangedCommand.self, SourceCatCommand.self,
      SourceTreeCommand.self,
    ]
  )
}

/// How a source command prints its result.
enum SourceOutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}
