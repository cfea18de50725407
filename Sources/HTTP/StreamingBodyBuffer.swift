import Synchronization

/// The chunks of a streamed response body between curl's write callback (the loop thread) and
/// the task reading them, bounded so that a slow reader pauses the transfer instead of letting
/// the body pile up in memory.
///
/// The writer offers each chunk; once `limit` bytes wait unread it refuses, and the callback
/// returns CURL_WRITEFUNC_PAUSE (curl keeps that chunk and offers it again on resumption). When
/// the reader has drained the buffer below half the limit, `next` reports that the transfer must
/// be resumed; only the loop thread may do that (curl_easy_pause).
final class StreamingBodyBuffer: Sendable {
  private struct State {
    var chunks: [[UInt8]] = []
    var bufferedBytes = 0
    var peakBufferedBytes = 0
    /// Set once: nil error for a complete body.
    var end: (any Error)??
    var reader: CheckedContinuation<[UInt8]?, any Error>?
    var paused = false
  }

  let limit: Int
  private let state = Mutex(State())

  init(limit: Int) { self.limit = max(1, limit) }

  /// The most bytes that ever waited unread (for tests of back-pressure).
  var peakBufferedBytes: Int { state.withLock { $0.peakBufferedBytes } }

  /// Loop thread: takes `bytes`, or returns false (and remembers the pause) when the reader is
  /// `limit` bytes behind.
  func offer(_ bytes: UnsafeRawBufferPointer) -> Bool {
    // The copy happens under the lock: a reader arriving meanwhile must find the chunk.
    let waitingReader: CheckedContinuation<[UInt8]?, any Error>?? = state.withLock { state in
      if let reader = state.reader.take() { return .some(reader) }
      if state.bufferedBytes >= limit {
        state.paused = true
        return nil
      }
      state.chunks.append(Array(bytes))
      state.bufferedBytes += bytes.count
      state.peakBufferedBytes = max(state.peakBufferedBytes, state.bufferedBytes)
      return .some(nil)
    }
    guard let waitingReader else { return false }
    waitingReader?.resume(returning: Array(bytes))
    return true
  }

  /// Ends the body, with `error` or completely; later calls are ignored.
  func finish(_ error: (any Error)?) {
    let reader: CheckedContinuation<[UInt8]?, any Error>? = state.withLock { state in
      guard state.end == nil else { return nil }
      state.end = .some(error)
      return state.reader.take()
    }
    if let error { reader?.resume(throwing: error) } else { reader?.resume(returning: nil) }
  }

  /// The next chunk, nil at the end; waits while the buffer is empty. `resume` is called when
  /// the transfer was paused and the buffer has drained enough to take more.
  func next(resume: () -> Void) async throws -> [UInt8]? {
    enum Taken {
      case chunk([UInt8], resumes: Bool)
      case end((any Error)?)
      case empty
    }
    let taken: Taken = state.withLock { state in
      if !state.chunks.isEmpty {
        let chunk = state.chunks.removeFirst()
        state.bufferedBytes -= chunk.count
        let resumes = state.paused && state.bufferedBytes <= limit / 2
        if resumes { state.paused = false }
        return .chunk(chunk, resumes: resumes)
      }
      if let end = state.end { return .end(end) }
      return .empty
    }
    switch taken {
    case .chunk(let chunk, let resumes):
      if resumes { resume() }
      return chunk
    case .end(let error):
      if let error { throw error }
      return nil
    case .empty:
      break
    }
    return try await withCheckedThrowingContinuation { continuation in
      let ready: Taken = state.withLock { state in
        // The writer may have delivered or ended between the two locks.
        if !state.chunks.isEmpty {
          let chunk = state.chunks.removeFirst()
          state.bufferedBytes -= chunk.count
          let resumes = state.paused && state.bufferedBytes <= limit / 2
          if resumes { state.paused = false }
          return .chunk(chunk, resumes: resumes)
        }
        if let end = state.end { return .end(end) }
        state.reader = continuation
        return .empty
      }
      switch ready {
      case .chunk(let chunk, let resumes):
        continuation.resume(returning: chunk)
        if resumes { resume() }
      case .end(let error?):
        continuation.resume(throwing: error)
      case .end(nil):
        continuation.resume(returning: nil)
      case .empty:
        break
      }
    }
  }
}
