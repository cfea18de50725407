import Checks
import Foundation
import Kube
import TestSupport
import Testing
import YAML

/// `tripgen secrets apply` against the in-process Kubernetes API test server (the strict stand-in
/// documented in TestSupport): the Secrets the chart reads, from environment variables or a file,
/// by server-side apply; key names printed, values never.
@Suite struct SecretsApplyTests {
  static let values = [
    "TRIPGEN_SECRET_POSTGRESQL_SECRET_PASSWORD": "pg-Value-1f9c",
    "TRIPGEN_SECRET_REDIS_SECRET_PASSWORD": "redis-Value-77aa",
    "TRIPGEN_SECRET_JWT_SECRET_SECRET": "jwt-Value-0b3e",
    "TRIPGEN_SECRET_OPENAI_API_KEY_API_KEY": "sk-Value-5d21",
  ]

  static func withServer<T>(
    _ options: KubeAPIServer.Options = .init(tokens: ["t0ken": "admin"]),
    _ body: (KubeAPIServer, String) async throws -> T
  ) async throws -> T {
    let server = try await KubeAPIServer(options: options)
    do {
      let directory = try TemporaryDirectory(prefix: "secrets-kubeconfig")
      let kubeconfig = directory.file("config").path
      try """
      clusters: [{name: test, cluster: {server: "\(server.url)"}}]
      users: [{name: admin, user: {token: t0ken}}]
      contexts: [{name: test, context: {cluster: test, user: admin}}]
      current-context: test
      """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
      let result = try await body(server, kubeconfig)
      await server.stop()
      return result
    } catch {
      await server.stop()
      throw error
    }
  }

  static func secret(_ server: KubeAPIServer, _ name: String) async throws -> JSONValue? {
    let client = KubeClient(
      configuration: KubeClientConfiguration(server: server.url, authentication: .token("t0ken")),
      transport: KubeHTTPTransport())
    let resource = try await client.resource(apiVersion: "v1", kind: "Secret")
    return try await client.getIfPresent(resource, namespace: "tripgen-dev", name: name)
  }

  static func decoded(_ secret: JSONValue?, _ key: String) -> String? {
    secret?["data"]?[key]?.stringValue.flatMap { Data(base64Encoded: $0) }.map {
      String(decoding: $0, as: UTF8.self)
    }
  }

  @Test func theChartsSecretsAndKeysAreFoundInTheRenderedObjects() throws {
    let (state, _) = try CheckFixtures.render("dev")
    let found = SecretRequirements.find(in: state.objects)
    #expect(
      found.map(\.name) == [
        "jwt-secret", "openai-api-key", "postgresql-secret", "redis-secret",
        "servicebus-connection",
      ])
    #expect(found.map(\.requiredKeys) == [["secret"], [], ["password"], ["password"], []])
    #expect(found.map(\.optionalKeys) == [[], ["api-key"], [], [], ["connection-string"]])
    #expect(
      SecretRequirement.environmentVariable(
        secret: "servicebus-connection", key: "connection-string")
        == "TRIPGEN_SECRET_SERVICEBUS_CONNECTION_CONNECTION_STRING")
  }

  @Test func appliesFromEnvironmentVariablesAndNeverPrintsAValue() async throws {
    let fixture = try CommandFixture()
    try await Self.withServer { server, kubeconfig in
      let connection = ["--kubeconfig", kubeconfig, "--context", "test"]
      let dry = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev", "--dry-run"] + connection, environment: Self.values)
      #expect(dry.succeeded, "\(dry.standardError)")
      #expect(try await Self.secret(server, "jwt-secret") == nil)

      let result = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev"] + connection, environment: Self.values)
      #expect(result.succeeded, "\(result.standardError)")
      #expect(
        result.standardOutput == """
          namespace/tripgen-dev created
          secret/jwt-secret created: set secret
          secret/openai-api-key created: set api-key
          secret/postgresql-secret created: set password
          secret/redis-secret created: set password
          secret/servicebus-connection skipped: only optional keys (connection-string), none given

          """)
      for value in Self.values.values {
        #expect(!result.standardOutput.contains(value) && !result.standardError.contains(value))
        #expect(!dry.standardOutput.contains(value) && !dry.standardError.contains(value))
      }
      let postgres = try await Self.secret(server, "postgresql-secret")
      #expect(Self.decoded(postgres, "password") == "pg-Value-1f9c")
      #expect(postgres?["type"] == "Opaque")
      #expect(
        server.requestLog.contains { $0.method == "PATCH" && $0.fieldManager == "tripgen-secrets" })

      // Again with the same values: nothing changes.
      let again = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev"] + connection, environment: Self.values)
      #expect(again.standardOutput.contains("secret/jwt-secret unchanged: set secret"))
      var rotated = Self.values
      rotated["TRIPGEN_SECRET_JWT_SECRET_SECRET"] = "jwt-Value-rotated"
      let dryRotation = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev", "--dry-run"] + connection, environment: rotated)
      #expect(
        dryRotation.standardOutput.contains(
          "secret/jwt-secret configured (server dry run): set secret"),
        "\(dryRotation.standardOutput)")
      #expect(
        Self.decoded(try await Self.secret(server, "jwt-secret"), "secret") == "jwt-Value-0b3e")
    }
  }

  @Test func missingRequiredKeysAreListedWithTheirVariables() async throws {
    let fixture = try CommandFixture()
    try await Self.withServer { server, kubeconfig in
      var values = Self.values
      values["TRIPGEN_SECRET_JWT_SECRET_SECRET"] = nil
      values["TRIPGEN_SECRET_REDIS_SECRET_PASSWORD"] = nil
      let result = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev", "--kubeconfig", kubeconfig, "--context", "test"],
        environment: values)
      #expect(!result.succeeded)
      #expect(
        result.standardError.contains(
          "missing required secret values: jwt-secret.secret (TRIPGEN_SECRET_JWT_SECRET_SECRET), "
            + "redis-secret.password (TRIPGEN_SECRET_REDIS_SECRET_PASSWORD)"),
        "\(result.standardError)")
      #expect(!result.standardError.contains("pg-Value-1f9c"))
      #expect(server.requestLog.isEmpty)
    }
  }

  @Test func readsAYAMLOrEnvFileAndTheEnvironmentWins() async throws {
    let fixture = try CommandFixture()
    try await Self.withServer { server, kubeconfig in
      let yaml = fixture.directory.file("secrets.yaml").path
      try """
      postgresql-secret: {password: file-pg-42}
      redis-secret: {password: file-redis-43}
      jwt-secret: {secret: file-jwt-44}
      servicebus-connection: {connection-string: "Endpoint=sb://x/;SharedAccessKey=file-sb-45"}
      """.write(toFile: yaml, atomically: true, encoding: .utf8)
      let result = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev", "--from-file", yaml, "--kubeconfig", kubeconfig]
          + ["--context", "test"],
        environment: ["TRIPGEN_SECRET_JWT_SECRET_SECRET": "env-jwt-46"])
      #expect(result.succeeded, "\(result.standardError)")
      #expect(
        result.standardOutput.contains(
          "secret/servicebus-connection created: set connection-string"))
      #expect(result.standardOutput.contains("secret/openai-api-key skipped"))
      #expect(Self.decoded(try await Self.secret(server, "jwt-secret"), "secret") == "env-jwt-46")
      #expect(
        Self.decoded(try await Self.secret(server, "redis-secret"), "password") == "file-redis-43")

      let env = fixture.directory.file("secrets.env").path
      try """
      # dev secrets
      TRIPGEN_SECRET_POSTGRESQL_SECRET_PASSWORD=env-file-pg
      TRIPGEN_SECRET_REDIS_SECRET_PASSWORD='env-file-redis'
      TRIPGEN_SECRET_JWT_SECRET_SECRET="env-file-jwt"
      """.write(toFile: env, atomically: true, encoding: .utf8)
      let second = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev", "--from-file", env, "--kubeconfig", kubeconfig]
          + ["--context", "test"])
      #expect(second.standardOutput.contains("secret/redis-secret configured: set password"))
      #expect(
        Self.decoded(try await Self.secret(server, "redis-secret"), "password") == "env-file-redis")
      for text in [
        result.standardOutput, result.standardError, second.standardOutput, second.standardError,
      ] {
        #expect(!text.contains("file-") && !text.contains("env-jwt-46"))
      }
    }
  }

  @Test func aRefusedApplyShowsNoValue() async throws {
    let fixture = try CommandFixture()
    try await Self.withServer(.init(tokens: ["other": "someone"], requireAuthentication: true)) {
      _, kubeconfig in
      let result = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev", "--kubeconfig", kubeconfig, "--context", "test"],
        environment: Self.values)
      #expect(!result.succeeded)
      #expect(
        result.standardError.contains("401")
          || result.standardError.lowercased().contains("unauthorized"), "\(result.standardError)")
      for value in Self.values.values {
        #expect(!result.standardOutput.contains(value) && !result.standardError.contains(value))
      }
    }
  }

  @Test func theEnvironmentsContextIsTheDefault() async throws {
    let fixture = try CommandFixture()
    try await Self.withServer { server, kubeconfig in
      let result = try await fixture.tripgen(
        ["secrets", "apply", "--env", "dev", "--kubeconfig", kubeconfig], environment: Self.values)
      #expect(!result.succeeded)
      #expect(result.standardError.contains("context \"aks-tripgen-dev\" is not defined"))
      #expect(!result.standardError.contains("Usage:"))
      #expect(server.requestLog.isEmpty)
    }
  }

  @Test func gitIgnoresTheSecretFiles() throws {
    let fixture = try CommandFixture()
    try fixture.write(
      ".gitignore",
      String(
        decoding: try Data(contentsOf: URL(fileURLWithPath: CheckFixtures.root + "/.gitignore")),
        as: UTF8.self))
    for path in [
      "environments/dev/secrets.yaml", "environments/dev/secrets.env", "dev.secrets.yaml", ".env",
    ] {
      #expect((try? fixture.git.git("check-ignore", path)) == path, "\(path)")
    }
  }
}
