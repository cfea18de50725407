import Blocking
import Foundation
import HTTP
import OCI

/// What happened to one blob during a push.
public enum BlobTransfer: String, Sendable, Codable {
  /// The repository already had it (`HEAD` answered 200).
  case present
  /// The registry linked it from another repository (cross-repository mount, 201).
  case mounted
  /// Sent in one `PUT`.
  case uploaded
  /// Sent in `PATCH` chunks.
  case uploadedInChunks
}

extension RegistryClient {
  /// `HEAD /v2/<repository>/blobs/<digest>`: whether the repository has the blob.
  public func blobExists(_ digest: Digest, in repository: String) async throws(RegistryError)
    -> Bool
  {
    let operation = "checking blob \(digest) in \(repository)"
    let response = try await send(
      HTTPRequest(method: .head, url: url("/v2/\(repository)/blobs/\(digest)")),
      scopes: [Self.pushScope(repository)], operation: operation, to: .discard)
    switch response.status {
    case 200: return true
    case 404: return false
    default: throw unexpected(response, operation: operation, repository: repository)
    }
  }

  /// Asks the registry to link `digest` from `source` into `repository`. True when it did (201);
  /// false when it started an ordinary upload instead (202), which is then abandoned.
  public func mountBlob(_ digest: Digest, from source: String, into repository: String)
    async throws(RegistryError) -> Bool
  {
    let operation = "mounting blob \(digest) from \(source) into \(repository)"
    let query = "mount=\(digest)&from=\(source)"
    let response = try await send(
      postUpload(url("/v2/\(repository)/blobs/uploads/?\(query)")),
      scopes: [Self.pushScope(repository), Self.pullScope(source)], operation: operation)
    switch response.status {
    case 201: return true
    case 202:
      // Refused (the blob is not there, or no pull rights on the source): drop the session the
      // registry opened instead; the caller uploads the blob the usual way.
      if let location = try? location(of: response, operation: operation) {
        _ = try? await send(
          HTTPRequest(method: .delete, url: location), scopes: [Self.pushScope(repository)],
          operation: operation, to: .discard)
      }
      return false
    default: throw unexpected(response, operation: operation, repository: repository)
    }
  }

  /// Uploads the blob in the file at `path` (of `size` bytes): one `PUT` up to the configured
  /// chunk size, `PATCH` chunks above it. Returns how it went. `progress` hears how many bytes
  /// of the blob were sent so far, as they go (from the transfer thread: it must be quick); after
  /// a resumed chunk the count may step back.
  public func uploadBlob(
    _ digest: Digest, size: Int, fromFile path: String, to repository: String,
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(RegistryError) -> BlobTransfer {
    let start = try await startUpload(repository)
    if size <= configuration.chunkSize {
      try await finishUpload(
        start, digest: digest, body: .file(path: path), repository: repository,
        progress: Self.bytesSent(progress, from: 0))
      progress?(size)
      return .uploaded
    }
    try await uploadChunks(
      digest, size: size, fromFile: path, location: start, repository: repository,
      progress: progress)
    return .uploadedInChunks
  }

  /// `POST /v2/<repository>/blobs/uploads/`: opens an upload session and returns its URL.
  func startUpload(_ repository: String) async throws(RegistryError) -> URL {
    let operation = "starting an upload to \(repository)"
    let response = try await send(
      postUpload(url("/v2/\(repository)/blobs/uploads/")), scopes: [Self.pushScope(repository)],
      operation: operation)
    guard response.status == 202 else {
      throw unexpected(response, operation: operation, repository: repository)
    }
    return try location(of: response, operation: operation)
  }

  /// `PUT <location>&digest=...` with the rest of the blob (or nothing), closing the session.
  func finishUpload(
    _ location: URL, digest: Digest, body: HTTPRequestBody, repository: String,
    progress: HTTPProgressHandler? = nil
  ) async throws(RegistryError) {
    let operation = "uploading blob \(digest) to \(repository)"
    var request = HTTPRequest(
      method: .put, url: Self.appending(digest: digest, to: location), body: body)
    request.headers.set("Content-Type", "application/octet-stream")
    let response = try await send(
      request, scopes: [Self.pushScope(repository)], operation: operation, progress: progress)
    guard response.status == 201 else {
      throw unexpected(response, operation: operation, repository: repository)
    }
    if let stored = response.headers["Docker-Content-Digest"], stored != digest.description {
      throw .digestMismatch(
        url: response.url.absoluteString, expected: digest.description, actual: stored)
    }
  }

  /// Sends the file in `PATCH` chunks with `Content-Range`, following each new `Location`. When
  /// the connection breaks, asks the upload URL how much arrived (`GET`, `Range: 0-N`) and goes on
  /// from there.
  func uploadChunks(
    _ digest: Digest, size: Int, fromFile path: String, location start: URL, repository: String,
    progress: (@Sendable (Int) -> Void)?
  ) async throws(RegistryError) {
    let operation = "uploading blob \(digest) to \(repository) in chunks"
    var location = start
    var offset = 0
    var resumes = 0
    while offset < size {
      let length = min(configuration.chunkSize, size - offset)
      let chunk = try await Self.readChunk(path: path, offset: offset, length: length)
      var request = HTTPRequest(method: .patch, url: location, body: .bytes(chunk))
      request.headers.set("Content-Type", "application/octet-stream")
      request.headers.set("Content-Range", "\(offset)-\(offset + length - 1)")
      let response: HTTPResponse
      do {
        let chunkStart = offset
        response = try await send(
          request, scopes: [Self.pushScope(repository)], operation: operation,
          progress: Self.bytesSent(progress, from: chunkStart))
      } catch .transfer(let failedOperation, let cause) {
        guard cause.rootCause.isConnectionError, resumes < configuration.maximumResumes else {
          throw .transfer(operation: failedOperation, cause: cause)
        }
        resumes += 1
        (location, offset) = try await uploadStatus(location, repository: repository)
        continue
      }
      guard response.status == 202 else {
        throw unexpected(response, operation: operation, repository: repository)
      }
      location = try self.location(of: response, operation: operation)
      offset = Self.nextOffset(range: response.headers["Range"]) ?? offset + length
      progress?(offset)
    }
    try await finishUpload(location, digest: digest, body: .empty, repository: repository)
  }

  /// An HTTP progress handler that reports `start` plus the bytes of the request body sent.
  static func bytesSent(_ report: (@Sendable (Int) -> Void)?, from start: Int)
    -> HTTPProgressHandler?
  {
    guard let report else { return nil }
    return { transfer in report(start + Int(transfer.bytesSent)) }
  }

  /// `GET <upload URL>`: where the session stands (`Range: 0-N` means N+1 bytes arrived).
  func uploadStatus(_ location: URL, repository: String) async throws(RegistryError) -> (URL, Int) {
    let operation = "asking for the state of an upload to \(repository)"
    let response = try await send(
      HTTPRequest(method: .get, url: location), scopes: [Self.pushScope(repository)],
      operation: operation, to: .discard)
    guard response.status == 204 else {
      throw unexpected(response, operation: operation, repository: repository)
    }
    let next = (try? self.location(of: response, operation: operation)) ?? location
    return (next, Self.nextOffset(range: response.headers["Range"]) ?? 0)
  }

  /// `0-1023` → 1024; `bytes=0-1023` is accepted too.
  static func nextOffset(range: String?) -> Int? {
    guard var text = range?.trimmingCharacters(in: .whitespaces) else { return nil }
    if text.hasPrefix("bytes=") { text.removeFirst(6) }
    let parts = text.split(separator: "-")
    guard parts.count == 2, let last = Int(parts[1]) else { return nil }
    return last + 1
  }

  /// `location` with `digest=<digest>` added to its query, which may already hold the registry's
  /// own state parameters.
  static func appending(digest: Digest, to location: URL) -> URL {
    let text = location.absoluteString
    let separator =
      text.contains("?") ? (text.hasSuffix("?") || text.hasSuffix("&") ? "" : "&") : "?"
    return URL(string: text + separator + "digest=" + digest.description)!
  }

  /// An empty POST (curl sends `Content-Length: 0` for it). Repeating it after a 429/5xx or a
  /// connection failure at most opens one more upload session, which the registry expires, so
  /// the HTTP module's retry policy may repeat it.
  private func postUpload(_ url: URL) -> HTTPRequest {
    var request = HTTPRequest(method: .post, url: url)
    request.headers.set("Content-Type", "application/octet-stream")
    request.isSafeToRepeat = true
    return request
  }

  /// Reads `length` bytes at `offset` on a thread of its own, off the cooperative pool.
  static func readChunk(path: String, offset: Int, length: Int) async throws(RegistryError) -> Data
  {
    try await offPool { () throws(RegistryError) in
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw .invalidImage(reference: path, reason: "it cannot be opened")
      }
      defer { try? handle.close() }
      let data: Data
      do {
        try handle.seek(toOffset: UInt64(offset))
        data = try handle.read(upToCount: length) ?? Data()
      } catch {
        throw .invalidImage(reference: path, reason: "\(error)")
      }
      guard data.count == length else {
        throw .invalidImage(reference: path, reason: "it ended before byte \(offset + length)")
      }
      return data
    }
  }
}
