import Blocking
import Dispatch
import Foundation
import YAML

/// A credential an exec plugin returned.
public struct KubeExecCredential: Sendable {
  public var token: String?
  public var clientCertificatePEM: [UInt8]?
  public var clientKeyPEM: [UInt8]?
  /// When the credential stops being valid; nil means until the server refuses it.
  public var expiration: Date?
}

/// Why an exec plugin gave no credential. Its output is never quoted: it carries the secret.
public struct KubeExecPluginError: Error, CustomStringConvertible, Sendable {
  public var command: String
  public var reason: String
  public var installHint: String?

  public var description: String {
    var text = "exec credential plugin \(command): \(reason)"
    if let installHint { text += "\n\(installHint)" }
    return text
  }
}

/// Runs an exec credential plugin as client-go does: the `ExecCredential` input in
/// `KUBERNETES_EXEC_INFO`, the credential read from its standard output.
enum KubeExecCredentialPlugin {
  static func run(_ config: KubeExecConfig, cluster: KubeConfig.Cluster?) async throws
    -> KubeExecCredential
  {
    var spec: JSONValue = ["interactive": false]
    if config.provideClusterInfo, let cluster {
      var info: JSONValue = ["server": .string(cluster.server)]
      if let ca = cluster.certificateAuthorityPEM {
        info = info.setting("certificate-authority-data", .string(Data(ca).base64EncodedString()))
      }
      if cluster.insecureSkipTLSVerify { info = info.setting("insecure-skip-tls-verify", true) }
      if let name = cluster.tlsServerName { info = info.setting("tls-server-name", .string(name)) }
      spec = spec.setting("cluster", info)
    }
    let input: JSONValue = [
      "apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": spec,
    ]
    var environment = ProcessInfo.processInfo.environment
    for (name, value) in config.env { environment[name] = value }
    environment["KUBERNETES_EXEC_INFO"] = String(decoding: KubeJSON.encode(input), as: UTF8.self)

    let (command, args) = (config.command, config.args)
    let (status, output, errorOutput) = try await offPool {
      [environment] () throws(KubeExecPluginError) in
      try runToCompletion(command: command, args: args, environment: environment)
    }
    func failure(_ reason: String) -> KubeExecPluginError {
      KubeExecPluginError(command: config.command, reason: reason, installHint: config.installHint)
    }
    guard status == 0 else {
      // Standard error is the plugin's message to the user (kubelogin's login hints); stdout may
      // hold a token and is never shown.
      let message = String(decoding: errorOutput.prefix(2000), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw failure("exited with status \(status)\(message.isEmpty ? "" : ": \(message)")")
    }
    guard let credential = try? KubeJSON.decode(output), case .object = credential else {
      throw failure("its output is not an ExecCredential JSON object")
    }
    guard credential["kind"]?.stringValue == "ExecCredential" else {
      throw failure(
        "its output has kind \(credential["kind"]?.stringValue ?? "none"), not ExecCredential")
    }
    guard credential["apiVersion"]?.stringValue == config.apiVersion else {
      throw failure(
        "its output has apiVersion \(credential["apiVersion"]?.stringValue ?? "none"), expected \(config.apiVersion)"
      )
    }
    let credentialStatus = credential["status"]
    var result = KubeExecCredential()
    result.token = credentialStatus?["token"]?.stringValue
    result.clientCertificatePEM = credentialStatus?["clientCertificateData"]?.stringValue.map {
      Array($0.utf8)
    }
    result.clientKeyPEM = credentialStatus?["clientKeyData"]?.stringValue.map { Array($0.utf8) }
    if let expiry = credentialStatus?["expirationTimestamp"]?.stringValue {
      guard let date = parseTimestamp(expiry) else {
        throw failure("status.expirationTimestamp \(expiry) is not an RFC 3339 time")
      }
      result.expiration = date
    }
    if result.token == nil && result.clientCertificatePEM == nil {
      throw failure("its ExecCredential has neither status.token nor status.clientCertificateData")
    }
    if (result.clientCertificatePEM == nil) != (result.clientKeyPEM == nil) {
      throw failure("its ExecCredential must give clientCertificateData and clientKeyData together")
    }
    return result
  }

  static func parseTimestamp(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }

  /// Runs the plugin and waits for it to exit. Blocking: the caller runs it off the cooperative pool.
  private static func runToCompletion(
    command: String, args: [String], environment: [String: String]
  ) throws(KubeExecPluginError) -> (Int32, [UInt8], [UInt8]) {
    let process = Process()
    if command.contains("/") {
      process.executableURL = URL(fileURLWithPath: command)
      process.arguments = args
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [command] + args
    }
    process.environment = environment
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw KubeExecPluginError(
        command: command, reason: "cannot be started: \(error.localizedDescription)",
        installHint: nil)
    }
    // Read both pipes at once so a plugin filling one cannot block on it.
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    group.enter()
    DispatchQueue.global().async {
      errorData = stderr.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, Array(outputData), Array(errorData))
  }
}

extension JSONValue {
  /// A copy of this object with `key` set (or removed, for nil).
  func setting(_ key: String, _ value: JSONValue?) -> JSONValue {
    guard case .object(var object) = self else { return self }
    object[key] = value
    return .object(object)
  }
}
