import Testing

@testable import Git

@Suite("Remote URLs: transports, credentials taken out, cache names")
struct RemoteURLTests {
  @Test func takesCredentialsOutOfHTTPSURLs() throws {
    let remote = try RemoteURL("https://bot:ghp%2Fsecret@github.example:8443/org/repo.git")
    #expect(remote.transport == .https)
    #expect(remote.url == "https://github.example:8443/org/repo.git")
    #expect(remote.description == remote.url)
    #expect(remote.host == "github.example")
    #expect(remote.port == 8443)
    #expect(remote.username == "bot")
    #expect(remote.password == "ghp/secret")
  }

  @Test func understandsSSHForms() throws {
    let scp = try RemoteURL("git@github.com:org/repo.git")
    #expect(scp.transport == .ssh)
    #expect(scp.url == "github.com:org/repo.git")
    #expect(scp.username == "git")
    #expect(scp.port == nil)
    let ssh = try RemoteURL("ssh://deploy@127.0.0.1:2222/srv/repo.git")
    #expect(ssh.transport == .ssh)
    #expect(ssh.url == "ssh://127.0.0.1:2222/srv/repo.git")
    #expect(ssh.username == "deploy")
    #expect(ssh.port == 2222)
  }

  @Test func understandsLocalForms() throws {
    #expect(try RemoteURL("/srv/git/repo.git").transport == .file)
    #expect(try RemoteURL("./relative:with-colon").transport == .file)
    #expect(try RemoteURL("file:///srv/git/repo.git").path == "/srv/git/repo.git")
  }

  @Test func rejectsWhatItCannotUse() {
    #expect(throws: GitError.self) { try RemoteURL("ftp://host/repo") }
    #expect(throws: GitError.self) { try RemoteURL("https://host") }
    #expect(throws: GitError.self) { try RemoteURL("https://host:99999/repo") }
    do {
      _ = try RemoteURL("https://user:topsecret@host:notaport/repo")
      Issue.record("accepted a bad port")
    } catch {
      #expect(!error.description.contains("topsecret"))
    }
  }

  @Test func cacheNamesAreReadableAndDistinct() throws {
    let plain = try RemoteURL("https://github.com/org/repo.git").cacheName
    let withToken = try RemoteURL("https://x:token@github.com/org/repo.git").cacheName
    #expect(plain == withToken)
    #expect(plain.hasPrefix("github.com-org-repo-"))
    #expect(plain.count == "github.com-org-repo-".count + 8)
    let a = try RemoteURL("https://host/a/b-c").cacheName
    let b = try RemoteURL("https://host/a-b/c").cacheName
    #expect(a != b)
    #expect(
      try RemoteURL("git@github.com:org/repo.git").cacheName.hasPrefix("github.com-org-repo-"))
  }
}
