import Dispatch
import Foundation
import TestSupport
import Testing
import YAML

/// Runs the built `tripgen` executable (SwiftPM puts it next to the test bundle) on a Dispatch
/// thread, so waiting for it does not hold a thread of the cooperative pool the server's test
/// needs.
private func tripgen(_ arguments: [String]) async throws -> Command.Result {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent()
  let executable = directory.appendingPathComponent("tripgen").path
  guard FileManager.default.isExecutableFile(atPath: executable) else {
    throw MissingExecutable(path: executable)
  }
  return try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async {
      continuation.resume(with: Result { try Command.run([executable] + arguments) })
    }
  }
}

private struct MissingExecutable: Error, CustomStringConvertible {
  var path: String
  var description: String { "\(path) is missing: build the package first (swift build)" }
}

/// `tripgen kube apply|get|delete` against the test API server, through a kubeconfig.
@Suite struct KubeCommandTests {
  @Test func applyGetAndDeleteLikeKubectl() async throws {
    try await withServer(.init(tokens: ["t0ken": "admin"], requireAuthentication: true)) { server in
      let directory = try TemporaryDirectory(prefix: "kube-cli")
      let kubeconfig = directory.file("config").path
      try """
      current-context: other
      clusters: [{name: test, cluster: {server: "\(server.url)"}}]
      users: [{name: admin, user: {token: t0ken}}, {name: nobody, user: {token: wrong}}]
      contexts:
      - {name: dev, context: {cluster: test, user: admin, namespace: default}}
      - {name: other, context: {cluster: test, user: nobody}}
      """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
      let manifests = directory.file("app.yaml").path
      try YAML.dumpAll([configMap("settings"), deployment("user-service")]).write(
        toFile: manifests, atomically: true, encoding: .utf8)
      let connection = ["--kubeconfig", kubeconfig, "--context", "dev"]

      let dry = try await tripgen(["kube", "apply", "-f", manifests, "--dry-run"] + connection)
      #expect(
        dry.standardOutput
          == "configmap/settings created (server dry run)\ndeployment.apps/user-service created (server dry run)\n",
        "\(dry.standardError)")
      let first = try await tripgen(
        ["kube", "apply", "-f", manifests, "--field-manager", "ci"] + connection)
      #expect(
        first.standardOutput == "configmap/settings created\ndeployment.apps/user-service created\n"
      )
      #expect(server.requestLog.last?.fieldManager == "ci")
      let second = try await tripgen(
        ["kube", "apply", "-f", manifests, "--field-manager", "ci"] + connection)
      #expect(
        second.standardOutput
          == "configmap/settings unchanged\ndeployment.apps/user-service unchanged\n")

      let yaml = try await tripgen(
        ["kube", "get", "deploy", "user-service", "-o", "yaml"] + connection)
      let object = try YAML.loadOne(yaml.standardOutput)
      #expect(object.at("metadata.name") == "user-service")
      #expect(object.at("spec.replicas") == 2)
      let table = try await tripgen(["kube", "get", "configmaps", "-n", "default"] + connection)
      #expect(table.standardOutput.hasPrefix("NAME       AGE\nsettings   "))
      let names = try await tripgen(["kube", "get", "deployments.apps", "-o", "name"] + connection)
      #expect(names.standardOutput == "deployment.apps/user-service\n")

      let deleted = try await tripgen(["kube", "delete", "deploy", "user-service"] + connection)
      #expect(deleted.standardOutput == "deployment.apps \"user-service\" deleted\n")
      let missing = try await tripgen(["kube", "get", "deploy", "user-service"] + connection)
      #expect(missing.status != 0)
      #expect(missing.standardError.contains("deployments.apps \"user-service\" not found"))

      // The current context's user has a bad token: a clear 401 that does not show it.
      let refused = try await tripgen(["kube", "get", "cm", "--kubeconfig", kubeconfig])
      #expect(refused.status != 0)
      #expect(refused.standardError.contains("Unauthorized"))
      #expect(!refused.standardError.contains("wrong"))
    }
  }
}
