import Checks

/// What a CI run did, for `--output json`, the step outputs and the job summary.
public struct CIReport: Sendable, Codable {
  public var environment: String
  /// The commit built (full id).
  public var revision: String
  public var images: [ImageResult]
  /// What `tripgen check` found (nil when the run stopped before checking).
  public var checks: CheckReport?
  /// The plan's counts and per-object changes; nil when the run stopped before planning.
  public var plan: PlanSummary?
  /// Whether the plan was applied (`--sync`).
  public var synced: Bool
  /// Where each stage's time went, in seconds.
  public var timings: [Timing]
  /// Set when the run failed: the message and where to fix it.
  public var failure: Failure?

  public init(environment: String, revision: String) {
    self.environment = environment
    self.revision = revision
    images = []
    plan = nil
    checks = nil
    synced = false
    timings = []
    failure = nil
  }

  /// One service image and what the run did with it.
  public struct ImageResult: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
      /// The registry (or layout) already had the source-addressed tag.
      case reused
      /// Built and pushed to the registry (or written to the layout).
      case built
      /// Built into the local build layout; not pushed (`--no-push`).
      case builtNotPushed = "built-not-pushed"
    }
    public var service: String
    /// `registry/repository` or the layout directory.
    public var repository: String
    public var tag: String
    public var digest: String
    /// `registry/repository@digest`, or `oci:DIR:TAG` for a layout (or a build not pushed): a
    /// reference skopeo and the registry client take (`oci:` takes a tag, not a digest).
    public var reference: String
    /// `[registry/]repository@digest`: the digest-pinned reference the environment's rendered
    /// manifests use (`ImageBinding.reference`). Set by `CIRun` once the digest is known.
    public var pinnedReference: String? = nil
    public var outcome: Outcome
    /// Why it was built or reused, in words.
    public var reason: String
    /// The compressed size of the image (config and layers), in bytes.
    public var size: Int
    /// Blobs sent to the registry by this run (0 when reused).
    public var uploadedBlobs: Int

    public var rebuilt: Bool { outcome != .reused }

    /// This result with its digest-pinned reference.
    func pinned(_ reference: String) -> ImageResult {
      var result = self
      result.pinnedReference = reference
      return result
    }
  }

  /// The plan: counts and, per changed object, its diff (Secrets' data masked).
  public struct PlanSummary: Sendable, Codable {
    /// `cluster` when diffed against the live cluster, `empty` when against an empty cluster.
    public var against: String
    /// Why the plan is against an empty cluster (nil when against the live one).
    public var note: String?
    public var create: Int
    public var update: Int
    public var unchanged: Int
    public var prune: Int
    public var changes: [ObjectChange]
  }

  /// One object the plan writes: created, updated, pruned, or run as a hook.
  public struct ObjectChange: Sendable, Codable {
    public var object: String
    /// The engine's action: `create`, `update`, `prune`, `run-hook` or `skip`.
    public var action: String
    /// The engine's unified diff of the object's YAML (`-` live, `+` the server's dry-run answer);
    /// Secret values masked.
    public var diff: String
  }

  public struct Timing: Sendable, Codable {
    public var stage: String
    public var seconds: Double
  }

  public struct Failure: Sendable, Codable {
    public var message: String
    public var file: String?
    public var line: Int?
  }
}
