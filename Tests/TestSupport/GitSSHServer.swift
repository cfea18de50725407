import Foundation

/// OpenSSH's sshd on a loopback port, with a generated host key and a generated client key, serving
/// git over SSH to the current user (`git-upload-pack` runs in that user's shell).
///
/// It uses its own sshd_config in the temporary directory (`StrictModes no`, `UsePAM no`,
/// `AuthorizedKeysFile` pointing into the directory) and writes a known_hosts file for the test.
public final class GitSSHServer: @unchecked Sendable {
  /// The port sshd listens on.
  public let port: Int
  /// The user that logs in (the user running the tests).
  public let user: String
  /// The client's private key (ed25519, no passphrase), authorised to log in.
  public let clientKey: String
  /// A second authorised client key, encrypted with `encryptedClientKeyPassphrase`.
  public let encryptedClientKey: String
  /// The passphrase of `encryptedClientKey`.
  public let encryptedClientKeyPassphrase = "correct horse battery staple"
  /// A known_hosts file that lists the server's host key for `[127.0.0.1]:port`.
  public let knownHosts: String
  /// The server's host public key line (`ssh-ed25519 AAAA...`).
  public let hostPublicKey: String
  /// The server's host private key file (its `.pub` sits next to it).
  public let hostKeyFile: String
  private let process: ServerProcess

  /// Generates the keys and config and starts `/usr/sbin/sshd -D -e -f <config>`.
  public init(directory: TemporaryDirectory) throws {
    let sshd = "/usr/sbin/sshd"
    guard FileManager.default.isExecutableFile(atPath: sshd) else {
      throw GitTestSupportError.missingTool("sshd", hint: "apt-get install openssh-server")
    }
    let base = directory.file("ssh").path
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    func keygen(_ file: String, passphrase: String = "") throws {
      try GitTestProcess.run(
        "/usr/bin/ssh-keygen",
        ["-q", "-t", "ed25519", "-N", passphrase, "-C", "tripgen-test", "-f", file])
    }
    hostKeyFile = base + "/host_key"
    try keygen(hostKeyFile)
    clientKey = base + "/client_key"
    try keygen(clientKey)
    encryptedClientKey = base + "/client_key_encrypted"
    try keygen(encryptedClientKey, passphrase: encryptedClientKeyPassphrase)
    let authorised = try [clientKey, encryptedClientKey].map {
      try String(contentsOfFile: $0 + ".pub", encoding: .utf8)
    }.joined()
    try authorised.write(toFile: base + "/authorized_keys", atomically: true, encoding: .utf8)

    user = ProcessInfo.processInfo.userName
    port = try FreePort.pick()
    let hostKeyFields = try String(contentsOfFile: base + "/host_key.pub", encoding: .utf8)
      .split(separator: " ")
    hostPublicKey = "\(hostKeyFields[0]) \(hostKeyFields[1])"
    knownHosts = base + "/known_hosts"
    try "[127.0.0.1]:\(port) \(hostPublicKey)\n".write(
      toFile: knownHosts, atomically: true, encoding: .utf8)

    let configuration = """
      Port \(port)
      ListenAddress 127.0.0.1
      HostKey \(base)/host_key
      PidFile \(base)/sshd.pid
      AuthorizedKeysFile \(base)/authorized_keys
      StrictModes no
      UsePAM no
      PubkeyAuthentication yes
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      PermitRootLogin prohibit-password
      AllowUsers \(user)
      LogLevel VERBOSE
      """
    try configuration.write(toFile: base + "/sshd_config", atomically: true, encoding: .utf8)
    // sshd refuses to start without its privilege separation directory, which Debian's service unit
    // normally creates; create it the same way when running as root.
    if getuid() == 0, !FileManager.default.fileExists(atPath: "/run/sshd") {
      try FileManager.default.createDirectory(
        atPath: "/run/sshd", withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o755])
    }
    process = try GitTestProcess.startServer(
      name: "sshd", executable: sshd, arguments: ["-D", "-e", "-f", base + "/sshd_config"],
      port: port, log: directory.file("sshd.log"))
  }

  /// The ssh:// URL of a repository at an absolute path on this machine.
  public func url(_ absolutePath: String) -> String {
    "ssh://\(user)@127.0.0.1:\(port)\(absolutePath)"
  }

  /// Stops sshd.
  public func stop() { process.stop() }

  deinit { stop() }
}
