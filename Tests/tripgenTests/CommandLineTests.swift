import ArgumentParser
import Testing

@testable import tripgen

/// Parses a command line as `tripgen` does and returns the verb it selects.
private func parse<Command: ParsableCommand>(_ arguments: [String], as _: Command.Type) throws
  -> Command
{
  let command = try TripGen.parseAsRoot(arguments)
  return try #require(command as? Command, "\(arguments) parsed as \(type(of: command))")
}

/// Whether the command line is refused (a usage error).
private func refused(_ arguments: [String]) -> Bool {
  (try? TripGen.parseAsRoot(arguments)) == nil
}

/// One spelling per option in every verb (`--repo PATH`, `--repo-url URL`, `-o/--output FORMAT`,
/// `--revision`, `--kubeconfig`, `--context`); each old spelling still parses, to the same value,
/// for one release; and the root help lists the verbs by purpose.
@Suite struct CommandLineTests {
  @Test func theHelpGroupsTheVerbsByPurpose() {
    let help = TripGen.helpMessage(columns: 200)
    let groups: [(String, [String])] = [
      ("DELIVER SUBCOMMANDS:", ["ci", "diff", "sync", "rollback"]),
      ("INSPECT SUBCOMMANDS:", ["status", "history", "render", "check", "source", "template"]),
      ("OPERATE SUBCOMMANDS:", ["env", "secrets", "controller", "kube"]),
      ("BUILD SUBCOMMANDS:", ["image"]),
    ]
    var sections: [String: [String]] = [:]
    var current: String?
    for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasSuffix("SUBCOMMANDS:") {
        current = String(line)
      } else if let section = current, line.hasPrefix("  "), !line.hasPrefix("   "),
        let verb = line.split(separator: " ").first
      {
        sections[section, default: []].append(String(verb))
      } else if line.isEmpty {
        current = nil
      }
    }
    for (header, verbs) in groups {
      #expect(sections[header] == verbs, "\(header)\n\(help)")
    }
    // Each of the fifteen verbs is in exactly one group, and no verb is left ungrouped.
    #expect(sections.keys.count == groups.count, "\(help)")
    #expect(sections.values.flatMap { $0 }.count == 15)
    #expect(TripGen.configuration.ungroupedSubcommands.isEmpty)
  }

  @Test func oldSpellingsAreHiddenFromHelp() {
    let hidden: [(any ParsableCommand.Type, [String])] = [
      (RenderCommand.self, ["--repository", "-o <", "-o,"]),
      (CheckCommand.self, ["--repository"]),
      (SecretsApplyCommand.self, ["--repository"]),
      (EnvSleepCommand.self, ["--path"]),
      (CICommand.self, ["--repository"]),
      (ImageBuildCommand.self, ["--source-repository"]),
      (ControllerCommand.self, ["--repo <"]),
      (SourceCatCommand.self, ["--ref"]),
    ]
    for (command, olds) in hidden {
      let help = TripGen.helpMessage(for: command, columns: 200)
      for old in olds { #expect(!help.contains(old), "\(command): \(old)\n\(help)") }
    }
    #expect(TripGen.helpMessage(for: RenderCommand.self).contains("--output-dir <dir>"))
    #expect(TripGen.helpMessage(for: ControllerCommand.self).contains("--repo-url <url>"))
    #expect(TripGen.helpMessage(for: SourceCatCommand.self).contains("--repo-url <url>"))
    #expect(TripGen.helpMessage(for: SourceCatCommand.self).contains("--repo <path>"))
  }

  @Test func theLocalCheckoutIsRepoEverywhere() throws {
    let render = ["render", "--env", "dev"]
    #expect(try parse(render + ["--repo", "/r"], as: RenderCommand.self).environment.root == "/r")
    #expect(try parse(render, as: RenderCommand.self).environment.root == ".")
    let check = ["check", "--env", "dev"]
    #expect(try parse(check + ["--repo", "/r"], as: CheckCommand.self).environment.root == "/r")
    let secrets = ["secrets", "apply", "--env", "dev"]
    #expect(
      try parse(secrets + ["--repo", "/r"], as: SecretsApplyCommand.self).environment.root == "/r")
    for verb in ["sleep", "wake"] {
      let env = ["env", verb, "--env", "dev", "--repo", "/r"]
      let root =
        verb == "sleep"
        ? try parse(env, as: EnvSleepCommand.self).target.root
        : try parse(env, as: EnvWakeCommand.self).target.root
      #expect(root == "/r")
    }
    #expect(
      try parse(["ci", "--env", "dev", "--repo", "/r"], as: CICommand.self).repository == "/r")
    #expect(try parse(["ci", "--env", "dev"], as: CICommand.self).repository == ".")
    #expect(
      try parse(["sync", "--env", "dev", "--repo", "/r"], as: SyncCommand.self).options.environment
        .root
        == "/r")
    let build = ["image", "build", "app", "--to", "oci:/l:v1"]
    #expect(
      try parse(build + ["--repo", "/r"], as: ImageBuildCommand.self).sourceRepository == "/r")
    #expect(try parse(build, as: ImageBuildCommand.self).sourceRepository == ".")
    let source = try parse(["source", "revision", "--repo", "/r"], as: SourceRevisionCommand.self)
    #expect(source.source.repository == "/r")
    #expect(!source.source.isRemote)
    #expect(
      try parse(["source", "revision"], as: SourceRevisionCommand.self).source.repository == ".")
  }

  @Test func oldSpellingsOfTheLocalCheckoutStillParse() throws {
    #expect(
      try parse(["render", "--env", "dev", "--repository", "/r"], as: RenderCommand.self)
        .environment.root == "/r")
    #expect(
      try parse(["check", "--env", "dev", "--repository", "/r"], as: CheckCommand.self)
        .environment.root == "/r")
    #expect(
      try parse(
        ["secrets", "apply", "--env", "dev", "--repository", "/r"], as: SecretsApplyCommand.self
      ).environment.root == "/r")
    #expect(
      try parse(["env", "sleep", "--env", "dev", "--path", "/r"], as: EnvSleepCommand.self).target
        .root == "/r")
    #expect(
      try parse(["env", "wake", "--env", "dev", "--path", "/r"], as: EnvWakeCommand.self).target
        .root == "/r")
    #expect(
      try parse(["ci", "--env", "dev", "--repository", "/r"], as: CICommand.self).repository
        == "/r")
    #expect(
      try parse(
        ["image", "build", "app", "--to", "oci:/l:v1", "--source-repository", "/r"],
        as: ImageBuildCommand.self
      ).sourceRepository == "/r")
    // Both spellings at once are refused.
    #expect(refused(["render", "--env", "dev", "--repo", "/a", "--repository", "/b"]))
    #expect(refused(["env", "sleep", "--env", "dev", "--repo", "/a", "--path", "/b"]))
    #expect(refused(["ci", "--env", "dev", "--repo", "/a", "--repository", "/b"]))
  }

  @Test func aRemoteRepositoryIsRepoURL() throws {
    let url = "https://git.test/org/repo.git"
    let controller = ["controller", "--env", "dev"]
    #expect(
      try parse(controller + ["--repo-url", url], as: ControllerCommand.self).repository == url)
    // The old spelling.
    #expect(try parse(controller + ["--repo", url], as: ControllerCommand.self).repository == url)
    #expect(refused(controller))
    #expect(refused(controller + ["--repo-url", url, "--repo", url]))

    let remote = try parse(
      ["source", "revision", "--repo-url", url], as: SourceRevisionCommand.self)
    #expect(remote.source.repository == url)
    #expect(remote.source.isRemote)
    // A file:// URL is mirrored too, and so is any --repo-url.
    #expect(
      try parse(
        ["source", "cat", "--repo-url", "file:///srv/r.git", "f"], as: SourceCatCommand.self
      )
      .source.isRemote)
    // The old spelling: a URL given to --repo.
    for old in [url, "git@git.test:org/repo.git", "file:///srv/r.git"] {
      let parsed = try parse(["source", "tree", "--repo", old], as: SourceTreeCommand.self)
      #expect(parsed.source.repository == old)
      #expect(parsed.source.isRemote, "\(old)")
    }
    #expect(refused(["source", "revision", "--repo", "/r", "--repo-url", url]))
  }

  @Test func theRevisionIsRevisionAndRefStillParses() throws {
    #expect(
      try parse(["source", "cat", "--revision", "v1", "f"], as: SourceCatCommand.self).revision
        .value == "v1")
    #expect(
      try parse(["source", "cat", "--ref", "v1", "f"], as: SourceCatCommand.self).revision.value
        == "v1")
    #expect(
      try parse(["source", "tree", "--ref", "main"], as: SourceTreeCommand.self).revision.value
        == "main")
    #expect(
      try parse(["source", "revision"], as: SourceRevisionCommand.self).revision.value == "HEAD")
    #expect(refused(["source", "revision", "--ref", "a", "--revision", "b"]))
  }

  @Test func dashOIsTheOutputFormatInEveryVerb() throws {
    #expect(
      try parse(["check", "--env", "d", "-o", "json"], as: CheckCommand.self).output == .json)
    #expect(
      try parse(["check", "--env", "d", "--output", "json"], as: CheckCommand.self).output == .json)
    #expect(try parse(["ci", "--env", "d", "-o", "json"], as: CICommand.self).output == .json)
    #expect(
      try parse(["ci", "--env", "d", "--output", "json"], as: CICommand.self).output == .json)
    for verb in ["sync", "diff", "status", "history", "rollback"] {
      let command = try TripGen.parseAsRoot([verb, "--env", "d", "-o", "yaml"])
      let output: GitOpsOutputFormat? =
        switch command {
        case let sync as SyncCommand: sync.output
        case let diff as DiffCommand: diff.output
        case let status as StatusCommand: status.output
        case let history as HistoryCommand: history.output
        case let rollback as RollbackCommand: rollback.output
        default: nil
        }
      #expect(output == .yaml, "\(verb)")
    }
    #expect(
      try parse(["kube", "get", "pods", "-o", "name"], as: KubeGetCommand.self).output == "name")
    let build = ["image", "build", "app", "--to", "oci:/l:v1"]
    #expect(try parse(build + ["-o", "json"], as: ImageBuildCommand.self).output == .json)
    #expect(
      try parse(
        ["image", "push", "oci:/l:v1", "r.test/a:v1", "-o", "json"], as: ImagePushCommand.self
      )
      .output == .json)
    #expect(
      try parse(["source", "revision", "-o", "json"], as: SourceRevisionCommand.self).output
        == .json
    )
    #expect(
      try parse(["source", "changed", "a", "b", "-o", "json"], as: SourceChangedCommand.self).output
        == .json)
  }

  @Test func renderWritesADirectoryWithOutputDir() throws {
    let render = ["render", "--env", "dev"]
    #expect(
      try parse(render + ["--output-dir", "out"], as: RenderCommand.self).outputDirectory == "out")
    #expect(try parse(render, as: RenderCommand.self).outputDirectory == nil)
    // -o DIR, the old spelling, for one release; never a format name, which the other verbs take.
    #expect(try parse(render + ["-o", "out"], as: RenderCommand.self).outputDirectory == "out")
    #expect(refused(render + ["-o", "json"]))
    #expect(refused(render + ["-o", "yaml"]))
    #expect(refused(render + ["--output", "yaml"]))
    #expect(refused(render + ["-o", "a", "--output-dir", "b"]))
  }

  @Test func theClusterIsKubeconfigAndContextEverywhere() throws {
    let cluster = ["--kubeconfig", "/k", "--context", "c"]
    let sync = try parse(["sync", "--env", "d"] + cluster, as: SyncCommand.self)
    #expect(sync.options.cluster.kubeconfig == "/k" && sync.options.cluster.context == "c")
    let ci = try parse(["ci", "--env", "d"] + cluster, as: CICommand.self)
    #expect(ci.kubeconfig == "/k" && ci.context == "c")
    let sleep = try parse(["env", "sleep", "--env", "d"] + cluster, as: EnvSleepCommand.self)
    #expect(sleep.target.cluster.kubeconfig == "/k" && sleep.target.cluster.context == "c")
    let secrets = try parse(
      ["secrets", "apply", "--env", "d"] + cluster, as: SecretsApplyCommand.self)
    #expect(secrets.connection.kubeconfig == "/k" && secrets.connection.context == "c")
    let kube = try parse(["kube", "get", "pods"] + cluster, as: KubeGetCommand.self)
    #expect(kube.connection.kubeconfig == "/k" && kube.connection.context == "c")
    let controller = try parse(
      ["controller", "--env", "d", "--repo-url", "u"] + cluster, as: ControllerCommand.self)
    #expect(controller.kubeconfig == "/k" && controller.context == "c")
  }

  @Test func theDeprecationNoteNamesTheNewSpelling() {
    #expect(
      OldSpelling.note("--repository", new: "--repo")
        == "note: --repository is deprecated (removed in the next release): use --repo")
  }
}
