/// Why a CI run stopped. Each case says what failed, where (file and line when there is one), and
/// what to do; registry and cluster credentials never appear in them.
public enum PipelineError: Error, Sendable, CustomStringConvertible {
  /// A step output name GitHub cannot take.
  case invalidOutputName(String)
  /// A `$GITHUB_OUTPUT`-format file that cannot be read back.
  case malformedOutputFile(reason: String)
  /// `$GITHUB_OUTPUT` or `$GITHUB_STEP_SUMMARY` could not be written.
  case fileWrite(path: String, purpose: String, reason: String)
  /// The revision to build could not be resolved or read.
  case revision(String)
  /// `--services` named images the environment does not have.
  case unknownServices([String], known: [String])
  /// A source path of an image is not in the commit.
  case missingSourcePath(image: String, path: String, revision: String)
  /// The environment has neither a registry host nor a layout.
  case noImageDestination(environment: String)
  /// A service's build, assembly, lookup or push failed; `cause` is the underlying error (a
  /// registry's HTTP status, a build's exit status), kept for callers that tell causes apart.
  case image(service: String, stage: String, cause: any Error)
  /// Rendering or checking the environment failed; `location` is the file and line to fix.
  case render(message: String, location: SourceLocation?)
  /// `tripgen check` found errors in the rendered environment.
  case check(message: String, location: SourceLocation?)
  /// `--sync` was asked for and the cluster could not be reached.
  case clusterRequired(environment: String, reason: String)
  /// The GitOps engine could not plan against the cluster (a validation problem, the server's dry
  /// run refusing an object, the environment's namespace missing).
  case plan(environment: String, cause: any Error)
  /// The GitOps engine's sync failed (an apply, a hook, a wave that did not become healthy).
  case sync(environment: String, cause: any Error)

  public var description: String {
    switch self {
    case .invalidOutputName(let name):
      return "step output name \"\(name)\" is empty or holds a line break or <<; use letters, "
        + "digits, - and _"
    case .malformedOutputFile(let reason):
      return "the step output file is malformed: \(reason)"
    case .fileWrite(let path, let purpose, let reason):
      return "cannot write \(purpose) to \(path): \(reason)"
    case .revision(let message):
      return message
    case .unknownServices(let names, let known):
      return "--services names \(names.joined(separator: ", ")), which the environment does not "
        + "build (its images: \(known.joined(separator: ", ")))"
    case .missingSourcePath(let image, let path, let revision):
      return "image \(image): source path \(path) is not in commit \(revision); fix sourcePaths "
        + "in the environment file or commit the path"
    case .noImageDestination(let environment):
      return "environment \(environment) has neither spec.registry.host nor spec.registry.layout; "
        + "set one of them"
    case .image(let service, let stage, let cause):
      return "\(service): \(stage) failed: \(cause)"
    case .render(let message, let location):
      return (location.map { "\($0): " } ?? "") + message
    case .check(let message, let location):
      return (location.map { "\($0): " } ?? "") + message
    case .clusterRequired(let environment, let reason):
      return "--sync of environment \(environment) needs its cluster, which cannot be reached: "
        + "\(reason); check the kubeconfig context and credentials"
    case .plan(let environment, let cause):
      return "plan of environment \(environment) against its cluster failed: \(cause)"
    case .sync(let environment, let cause):
      return "sync of environment \(environment) failed: \(cause); what was applied is in its "
        + "history (tripgen history --env \(environment))"
    }
  }

  /// The file and line to point an annotation at.
  public var location: SourceLocation? {
    switch self {
    case .render(_, let location), .check(_, let location): return location
    default: return nil
    }
  }
}
