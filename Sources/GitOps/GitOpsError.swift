import Environments
import Kube

/// Why the engine did not plan or sync. Each case names the object (and its template, where it has
/// one) and what the API or the pod said, so the message alone says what to fix.
public enum GitOpsError: Error, Sendable, CustomStringConvertible {
  /// An annotation the engine reads has a value it cannot use.
  case invalidAnnotation(source: String, annotation: String, value: String, expected: String)
  /// The desired state failed validation: nothing was applied.
  case validation([ValidationProblem])
  /// Images the desired state needs have no digest yet: nothing was applied.
  case waitingForImages([ImageBinding])
  /// Applying the plan would delete more than half of the environment's objects.
  case massPrune(count: Int, of: Int, objects: [ObjectKey])
  /// The Kubernetes API refused an object during the sync; the API's error is kept, so a retry can
  /// tell a refusal that another attempt may get past (409, 429, 5xx, a dropped connection) from
  /// one it cannot (422: the object itself is wrong).
  case applyFailed(ObjectKey, source: String?, KubeError)
  /// An object became Degraded (a failed Job, a crash-looping pod) while the sync waited for it.
  case degraded(ObjectKey, message: String)
  /// An object did not become healthy in time.
  case healthTimeout(ObjectKey, seconds: Double, message: String)
  /// Deleting an object the environment no longer has failed.
  case pruneFailed(ObjectKey, KubeError)
  /// Deleting a hook's previous run failed.
  case hookDeletionFailed(ObjectKey, KubeError)
  /// The sync was cancelled; the objects listed were applied before it stopped.
  case cancelled(applied: [ObjectKey])
  /// The environment's namespace does not exist and the desired state does not create it.
  case namespaceMissing(String, environment: String)
  /// No history entry with that id.
  case historyEntryNotFound(id: Int, environment: String, known: [Int])
  /// A rollback without an id, and no earlier successful sync of something else to go back to.
  case nothingToRollBackTo(environment: String)
  /// A rollback to a sync of the working tree, which recorded no commit to return to.
  case notACommit(id: Int, environment: String)
  /// A rollback while the controller keeps the environment equal to Git would be undone at once.
  case rollbackWhileAutomated(environment: String)
  /// The stored inventory or history cannot be read.
  case corruptRecord(object: String, message: String)
  /// Objects exist without the environment's tracking marks and the sync was not asked to adopt
  /// them: nothing was applied.
  case adoptionRefused([ObjectKey])
  /// A hook's previous run was still being deleted when the wait ended (a finalizer nobody removes).
  case hookDeletionTimeout(ObjectKey, seconds: Double, finalizers: [String])

  /// The object the error is about, when it is about one.
  public var object: ObjectKey? {
    switch self {
    case .applyFailed(let key, _, _), .pruneFailed(let key, _), .hookDeletionFailed(let key, _),
      .degraded(let key, _), .healthTimeout(let key, _, _), .hookDeletionTimeout(let key, _, _):
      return key
    case .validation(let problems):
      return problems.lazy.compactMap(\.key).first
    default:
      return nil
    }
  }

  public var description: String {
    switch self {
    case .invalidAnnotation(let source, let annotation, let value, let expected):
      return "\(source): annotation \(annotation) is \"\(value)\"; expected \(expected)"
    case .validation(let problems):
      return "the desired state is not valid, nothing was applied:\n"
        + problems.map { "  \($0)" }.joined(separator: "\n")
    case .waitingForImages(let images):
      return "waiting for image: "
        + images.map { "\($0.name) (\($0.reference) is not in the registry yet)" }.joined(
          separator: ", ") + "; nothing was applied (push the images, e.g. with `tripgen ci`)"
    case .massPrune(let count, let total, let objects):
      let shown = objects.prefix(10).map(\.displayName).joined(separator: ", ")
      return
        "the sync would delete \(count) of the environment's \(total) objects (\(shown)\(objects.count > 10 ? ", ..." : "")); "
        + "run again with --allow-mass-prune if that is intended"
    case .applyFailed(let key, let source, let error):
      return
        "\(key.displayName)\(source.map { " (from \($0))" } ?? ""): \(GitOpsEngine.message(error))"
    case .degraded(let key, let message):
      return "\(key.displayName) is Degraded: \(message)"
    case .healthTimeout(let key, let seconds, let message):
      return
        "\(key.displayName) did not become healthy within \(Int(seconds))s: \(message); raise --timeout or look at its pods"
    case .pruneFailed(let key, let error):
      return "pruning \(key.displayName) failed: \(GitOpsEngine.message(error))"
    case .hookDeletionFailed(let key, let error):
      return "\(key.displayName): deleting the hook's previous run: \(GitOpsEngine.message(error))"
    case .cancelled(let applied):
      return "the sync was cancelled after applying \(applied.count) object(s)"
        + (applied.isEmpty ? "" : ": " + applied.map(\.displayName).joined(separator: ", "))
        + "; every other object is as it was; sync again to finish"
    case .namespaceMissing(let namespace, let environment):
      return
        "namespace \(namespace) (of environment \(environment)) does not exist; create it (kubectl create namespace \(namespace)) or add a Namespace object to the chart"
    case .historyEntryNotFound(let id, let environment, let known):
      return "environment \(environment) has no sync #\(id) in its history (known: "
        + (known.isEmpty ? "none" : known.map { "#\($0)" }.joined(separator: ", ")) + ")"
    case .nothingToRollBackTo(let environment):
      return
        "environment \(environment) has no earlier successful sync of another revision or other images; name one with `tripgen rollback ID` (see `tripgen history`)"
    case .notACommit(let id, let environment):
      return
        "sync #\(id) of environment \(environment) applied a working tree (tripgen sync --local), not a commit, so there is nothing to return to; roll back to an entry with a commit (see `tripgen history`)"
    case .rollbackWhileAutomated(let environment):
      return
        "environment \(environment) has automated sync on: the controller would undo a rollback at once; turn syncPolicy.automated off, or pass --force"
    case .corruptRecord(let object, let message):
      return "\(object) cannot be read: \(message); delete it to start afresh"
    case .adoptionRefused(let objects):
      return "these objects exist in the cluster without this environment's tracking marks: "
        + objects.map(\.displayName).joined(separator: ", ")
        + "; nothing was applied. Sync with --adopt to take them over (or annotate each "
        + "tripgen.io/adopt=true), or rename the objects in the chart"
    case .hookDeletionTimeout(let key, let seconds, let finalizers):
      return "the previous run of hook \(key.displayName) was still being deleted after "
        + "\(Int(seconds))s"
        + (finalizers.isEmpty ? "" : " (finalizers: \(finalizers.joined(separator: ", ")))")
        + "; remove what holds it, then sync again"
    }
  }
}

/// One reason the desired state cannot be applied.
public struct ValidationProblem: Sendable, Equatable, CustomStringConvertible {
  public var key: ObjectKey?
  /// The template the object came from.
  public var source: String?
  public var message: String

  public init(key: ObjectKey?, source: String?, message: String) {
    self.key = key
    self.source = source
    self.message = message
  }

  public var description: String {
    let subject = [source, key?.displayName].compactMap { $0 }.joined(separator: ": ")
    return subject.isEmpty ? message : "\(subject): \(message)"
  }
}
