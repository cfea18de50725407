import YAML

/// One deployment target, as written in `environments/<name>/environment.yaml`: where its desired
/// state comes from (source, charts, values), where it goes (cluster, namespace, registry), how it is
/// kept in sync (sync policy), and what it may cost (node pool, budget, shutdown schedule).
///
/// The file has the shape of a Kubernetes object (`apiVersion`, `kind`, `metadata`, `spec`) so that
/// it could become a custom resource later; today it is only read from Git. Its JSON Schema is
/// `EnvironmentSchema.json` (checked in as `environments/environment.schema.json` for editors).
public struct Environment: Sendable, Equatable, Codable {
  /// `tripgen.io/v1alpha1`.
  public var apiVersion: String
  /// `Environment`.
  public var kind: String
  public var metadata: Metadata
  public var spec: Spec

  public struct Metadata: Sendable, Equatable, Codable {
    /// The environment's name: the folder under `environments/`, and the value of the environment
    /// label on every object it applies.
    public var name: String
  }

  public struct Spec: Sendable, Equatable, Codable {
    public var source: Source
    /// The namespace every namespaced object is applied to.
    public var namespace: String
    public var cluster: Cluster
    /// The Helm charts rendered for this environment, in order.
    public var charts: [ChartSource]
    public var registry: RegistryTarget
    /// The service images built from this repository and injected into the charts' values.
    public var images: [EnvironmentImage]
    public var syncPolicy: SyncPolicy
    /// Fields whose differences never count (per group and kind), e.g. replicas an autoscaler owns.
    public var ignoreDifferences: [IgnoreDifference]?
    public var nodePool: NodePool?
    public var cost: CostModel?
    /// Nights and weekends with the Deployments scaled to zero (the seed's cost saving).
    public var schedule: ShutdownSchedule?
  }

  /// Where the desired state is read from.
  public struct Source: Sendable, Equatable, Codable {
    /// The Git repository URL (https, ssh, git or a local path); `.` is the repository the command
    /// runs in.
    public var repository: String
    /// The branch that is deployed.
    public var branch: String
    /// How often the controller polls the branch (Go duration, default `60s`).
    public var interval: String?
  }

  /// The Kubernetes cluster the environment is applied to.
  public struct Cluster: Sendable, Equatable, Codable {
    /// The kubeconfig context; absent means the kubeconfig's current context.
    public var context: String?
    /// Whether a cluster is required. When false (the local default) and none is reachable, plans are
    /// computed against an empty cluster and nothing is applied.
    public var required: Bool?
  }

  /// One chart rendered for the environment.
  public struct ChartSource: Sendable, Equatable, Codable {
    /// The Helm release name (`.Release.Name`).
    public var release: String
    /// The chart directory, relative to the repository root.
    public var path: String
    /// Values files relative to the repository root, lowest precedence first.
    public var values: [String]?
  }

  /// Where images are pushed and pulled from: a registry host or an OCI image layout on disk.
  public struct RegistryTarget: Sendable, Equatable, Codable {
    /// `tripgendev.azurecr.io`, or `127.0.0.1:5000` in tests.
    public var host: String?
    /// An OCI image layout directory (relative to the repository root), used instead of a registry.
    public var layout: String?
    /// Speak plain HTTP to the registry (loopback registries are always spoken to over HTTP).
    public var insecure: Bool?
  }

  /// A field that never counts as drift.
  public struct IgnoreDifference: Sendable, Equatable, Codable {
    /// The API group (`apps`; empty for the core group).
    public var group: String
    public var kind: String
    /// Only objects of this name; absent means every object of the kind.
    public var name: String?
    /// RFC 6901 JSON pointers of the ignored fields.
    public var jsonPointers: [String]
  }
}

extension Environment {
  /// The `apiVersion` this build reads.
  public static let apiVersion = "tripgen.io/v1alpha1"
  /// The name, for messages and labels.
  public var name: String { metadata.name }
}
