import Foundation
import Logging
import ServiceKit
import TestSupport
import Testing

@Suite struct ConfigurationTests {
  let secret = String(repeating: "s", count: 40)

  @Test func defaultsForALocalRun() throws {
    let configuration = try ServiceConfiguration(
      source: ConfigurationSource(environment: ["JWT_SECRET": secret], secretsDirectory: "/none"),
      defaultServiceName: "user-service")
    #expect(configuration.serviceName == "user-service")
    #expect(configuration.port == 8080)
    #expect(configuration.database.host == "127.0.0.1")
    #expect(configuration.database.name == "tripgen")
    #expect(configuration.redis.port == 6379)
    #expect(
      configuration.logLevels
        == .init(root: .info, application: .debug, database: .warning, security: .info))
  }

  @Test func missingJWTSecretNamesTheVariableAndTheFile() {
    #expect(throws: ConfigurationError.self) {
      try ServiceConfiguration(
        source: ConfigurationSource(environment: [:], secretsDirectory: "/run/s"),
        defaultServiceName: "trip-service")
    }
    do {
      _ = try ServiceConfiguration(
        source: ConfigurationSource(environment: [:], secretsDirectory: "/run/s"),
        defaultServiceName: "trip-service")
    } catch {
      #expect(error.description.contains("JWT_SECRET is required"))
      #expect(error.description.contains("/run/s/jwt-secret/secret"))
    }
  }

  @Test func secretsComeFromMountedFilesWhenTheEnvironmentHasNone() throws {
    let directory = try TemporaryDirectory(prefix: "secrets")
    try FileManager.default.createDirectory(
      at: directory.file("jwt-secret"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: directory.file("postgresql-secret"), withIntermediateDirectories: true)
    try Data((secret + "\n").utf8).write(to: directory.file("jwt-secret/secret"))
    try Data("from-file\n".utf8).write(to: directory.file("postgresql-secret/password"))
    let fromFiles = try ServiceConfiguration(
      source: ConfigurationSource(environment: [:], secretsDirectory: directory.path),
      defaultServiceName: "ai-service")
    #expect(fromFiles.jwtSecret == secret)
    #expect(fromFiles.database.password == "from-file")
    // The environment wins over the file.
    let fromEnvironment = try ServiceConfiguration(
      source: ConfigurationSource(
        environment: ["DB_PASSWORD": "from-env"], secretsDirectory: directory.path),
      defaultServiceName: "ai-service")
    #expect(fromEnvironment.database.password == "from-env")
  }

  @Test func invalidSettingsAreRefusedByName() {
    let cases: [([String: String], String)] = [
      (["JWT_SECRET": secret, "PORT": "80a"], "PORT"),
      (["JWT_SECRET": secret, "DB_PORT": "70000"], "DB_PORT"),
      (["JWT_SECRET": secret, "LOG_LEVEL_DATABASE": "LOUD"], "LOG_LEVEL_DATABASE"),
      (["JWT_SECRET": "short"], "JWT_SECRET"),
    ]
    for (environment, name) in cases {
      do {
        _ = try ServiceConfiguration(
          source: ConfigurationSource(environment: environment, secretsDirectory: "/none"),
          defaultServiceName: "x")
        Issue.record("\(name) was accepted")
      } catch {
        #expect(error.description.contains(name))
        #expect(!error.description.contains("short"), "a secret's value must not be echoed")
      }
    }
  }

  @Test func chartLogLevelSpellings() throws {
    let configuration = try ServiceConfiguration(
      source: ConfigurationSource(
        environment: [
          "JWT_SECRET": secret, "LOG_LEVEL_ROOT": "INFO", "LOG_LEVEL_APPLICATION": "DEBUG",
          "LOG_LEVEL_DATABASE": "WARN", "LOG_LEVEL_SECURITY": "ERROR",
        ], secretsDirectory: "/none"),
      defaultServiceName: "x")
    #expect(
      configuration.logLevels
        == .init(root: .info, application: .debug, database: .warning, security: .error))
  }
}
