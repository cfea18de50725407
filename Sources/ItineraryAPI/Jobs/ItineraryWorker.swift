import Foundation
import Logging
import Metrics
import ServiceKit
import ServiceLifecycle

/// The body of a queued itinerary request.
struct ItineraryJobMessage: Codable, Sendable, Equatable {
  let jobId: String
  let tripId: Int64
}

/// Takes itinerary requests off the queue and plans them. A message is completed only after the
/// itinerary and the job's status are committed, so a worker that dies mid-job leaves the message to
/// reappear when its lease expires (at-least-once); planning replaces the trip's days, so doing a job
/// twice gives the same result. After `maximumAttempts` deliveries the job is marked failed.
///
/// On SIGTERM (graceful shutdown) the worker takes no new message; the job in progress gets
/// `shutdownGrace` to finish, and is otherwise cancelled and its message abandoned (visible again at
/// once), so that the next worker redoes it.
public struct ItineraryWorker: Service {
  /// How the worker paces itself.
  public struct Settings: Sendable {
    /// How long a message stays hidden while a worker holds it.
    public var lease: Duration = .seconds(120)
    /// Deliveries before a job is given up (AI_RETRY_ATTEMPTS).
    public var maximumAttempts = 3
    /// Wait between polls of an empty queue.
    public var pollInterval: Duration = .seconds(1)
    /// Delay before a failed attempt is retried, doubled at each attempt.
    public var retryBackoff: Duration = .seconds(2)
    /// How long a job in progress may go on after SIGTERM (AI_SHUTDOWN_GRACE_SECONDS); within the
    /// pod's 30 s termination grace period, with room for the server and pools to close.
    public var shutdownGrace: Duration = .seconds(20)

    public init() {}
  }

  let queue: any JobQueue
  let jobs: ItineraryJobStore
  let source: TripPlanningSource
  let planner: any ItineraryPlanner
  let settings: Settings
  let logger: Logger
  private let processed = Counter(
    label: "itinerary_jobs_total", dimensions: [("result", "succeeded")])
  private let failed = Counter(label: "itinerary_jobs_total", dimensions: [("result", "failed")])
  private let retried = Counter(label: "itinerary_jobs_total", dimensions: [("result", "retried")])

  public init(
    queue: any JobQueue, database: Database, planner: any ItineraryPlanner, settings: Settings,
    logger: Logger
  ) {
    self.queue = queue
    self.jobs = ItineraryJobStore(database: database)
    self.source = TripPlanningSource(database: database)
    self.planner = planner
    self.settings = settings
    self.logger = logger
  }

  public func run() async throws {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
      let message: QueueMessage?
      do {
        // Waiting for a message stops at once on SIGTERM; a message claimed as it stopped is
        // left to its lease.
        message = try await cancelWhenGracefulShutdown {
          try await queue.receive(lease: settings.lease)
        }
      } catch {
        if Task.isShuttingDownGracefully || Task.isCancelled { break }
        logger.error("queue poll failed", metadata: ["error": "\(String(reflecting: error))"])
        message = nil
      }
      guard let message else {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
        continue
      }
      await handleWithinShutdownGrace(message)
    }
    logger.info("itinerary worker stopped")
  }

  /// Handles `message`; once graceful shutdown begins, it has `shutdownGrace` left before it is
  /// cancelled (and its message abandoned by ``handle(_:)``).
  func handleWithinShutdownGrace(_ message: QueueMessage) async {
    let grace = settings.shutdownGrace
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await handle(message) }
      group.addTask {
        // Returns by cancellation when the job finishes first.
        guard (try? await gracefulShutdown()) != nil,
          (try? await Task.sleep(for: grace)) != nil
        else { return }
      }
      await group.next()
      group.cancelAll()
    }
  }

  /// Takes and handles one message; false when the queue was empty.
  @discardableResult
  public func processNext() async throws -> Bool {
    guard let message = try await queue.receive(lease: settings.lease) else { return false }
    await handle(message)
    return true
  }

  func handle(_ message: QueueMessage) async {
    var logger = logger
    logger[metadataKey: "message_id"] = "\(message.id)"
    let job: ItineraryJobMessage
    do {
      job = try JSONCoding.value(ItineraryJobMessage.self, from: message.body)
    } catch {
      logger.error("unreadable queue message dropped", metadata: ["error": "\(error)"])
      _ = try? await queue.complete(message)
      return
    }
    logger[metadataKey: "job_id"] = "\(job.jobId)"
    do {
      guard try await jobs.start(id: job.jobId) else {
        logger.info("job already finished; redelivery completed")
        try await queue.complete(message)
        return
      }
      guard let trip = try await source.trip(id: job.tripId) else {
        try await jobs.fail(id: job.jobId, error: "trip \(job.tripId) no longer exists")
        try await queue.complete(message)
        return
      }
      let itinerary = try await planner.plan(trip.request)
      try await jobs.succeed(
        id: job.jobId, tripID: trip.id, planner: itinerary.planner, days: itinerary.days)
      try await queue.complete(message)
      processed.increment()
      logger.info(
        "itinerary planned",
        metadata: ["days": "\(itinerary.days.count)", "planner": "\(itinerary.planner)"])
    } catch  where Task.isCancelled {
      // Stopping: give the message back for the next worker. The abandon runs in a task of its
      // own, since this one is cancelled and its database or HTTP calls would be refused.
      logger.warning("job interrupted by shutdown; left for redelivery")
      let queue = self.queue
      _ = await Task { try? await queue.abandon(message, delay: .zero) }.value
    } catch {
      await retryOrFail(message, job: job, error: error, logger: logger)
    }
  }

  private func retryOrFail(
    _ message: QueueMessage, job: ItineraryJobMessage, error: any Error, logger: Logger
  ) async {
    let reason = String(describing: error)
    if message.deliveryCount >= settings.maximumAttempts {
      logger.error("job failed for good", metadata: ["error": "\(reason)"])
      failed.increment()
      _ = try? await jobs.fail(id: job.jobId, error: reason)
      _ = try? await queue.complete(message)
    } else {
      let delay = settings.retryBackoff * (1 << (message.deliveryCount - 1))
      logger.warning("job attempt failed; retrying", metadata: ["error": "\(reason)"])
      retried.increment()
      _ = try? await queue.abandon(message, delay: delay)
    }
  }
}
