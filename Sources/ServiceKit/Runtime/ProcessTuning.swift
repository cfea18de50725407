import NIOCore

#if canImport(Glibc)
  import Glibc
#endif

/// Process-wide settings that keep an idle service small, applied by ``ServiceRuntime/main`` before
/// anything starts a thread:
///
/// - glibc malloc arenas: glibc gives each thread that allocates an arena of its own (up to 8 per
///   core), each with heap pages that stay resident; two arenas serve these small services without
///   lock contention showing in their latency. `MALLOC_ARENA_MAX` in the environment still wins.
/// - NIO event loops: one thread (EVENT_LOOP_THREADS) instead of one per core for the singleton group
///   that Hummingbird and postgres-nio share. Request handlers run on Swift's cooperative pool, not
///   on the event loop, so one loop is enough for a service's socket I/O at these rates.
public enum ProcessTuning {
  /// glibc's `M_ARENA_MAX` parameter (malloc.h, which the Glibc module does not export).
  static let mallocArenaMaxParameter: Int32 = -8

  /// Limits malloc arenas to `arenas` unless MALLOC_ARENA_MAX is set; true when applied.
  @discardableResult
  public static func limitMallocArenas(to arenas: Int32, environment: [String: String]) -> Bool {
    #if canImport(Glibc)
      guard environment["MALLOC_ARENA_MAX"] == nil,
        let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
      else { return false }
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      return unsafeBitCast(symbol, to: Mallopt.self)(mallocArenaMaxParameter, arenas) == 1
    #else
      return false
    #endif
  }

  /// Sets how many threads NIO's singleton event loop group starts: once per process, before the
  /// group's first use (NIO stops the process otherwise).
  public static func useEventLoopThreads(_ count: Int) {
    NIOSingletons.groupLoopCountSuggestion = count
  }
}
