import PostgresNIO
import ServiceKit

/// A queue in a PostgreSQL table. Receivers claim the oldest visible row with
/// `FOR UPDATE SKIP LOCKED`, so concurrent workers never take the same message and never wait on each
/// other; a claim moves `visible_at` forward by the lease, which is what redelivers the message when a
/// worker dies mid-job. Each claim sets a new lock token, so a worker that lost its lease cannot delete
/// the message from under the worker that has it now.
public struct PostgresJobQueue: JobQueue {
  /// The table (created by ``migration``), shared by all queues of the database.
  public static let migration = Migration(
    name: "job_queue",
    statements: [
      """
      CREATE TABLE IF NOT EXISTS job_queue (
          id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          queue          TEXT        NOT NULL,
          body           TEXT        NOT NULL,
          delivery_count INTEGER     NOT NULL DEFAULT 0,
          lock_token     UUID,
          visible_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
          enqueued_at    TIMESTAMPTZ NOT NULL DEFAULT now()
      )
      """,
      "CREATE INDEX IF NOT EXISTS job_queue_visible_idx ON job_queue (queue, visible_at, id)",
    ])

  let database: Database
  let queue: String

  public init(database: Database, queue: String) {
    self.database = database
    self.queue = queue
  }

  public func send(_ body: String) async throws {
    try await database.execute("INSERT INTO job_queue (queue, body) VALUES (\(queue), \(body))")
  }

  public func receive(lease: Duration) async throws -> QueueMessage? {
    let milliseconds =
      Int(lease.components.seconds * 1000)
      + Int(lease.components.attoseconds / 1_000_000_000_000_000)
    return try await database.rows(
      """
      UPDATE job_queue SET delivery_count = delivery_count + 1, lock_token = gen_random_uuid(),
             visible_at = clock_timestamp() + make_interval(secs => \(milliseconds) / 1000.0)
      WHERE id = (
          SELECT id FROM job_queue WHERE queue = \(queue) AND visible_at <= clock_timestamp()
          ORDER BY visible_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING id, lock_token::text, body, delivery_count
      """
    ).first.map { row in
      let (id, token, body, count) = try row.decode((Int64, String, String, Int).self)
      return QueueMessage(id: String(id), lockToken: token, body: body, deliveryCount: count)
    }
  }

  @discardableResult
  public func complete(_ message: QueueMessage) async throws -> Bool {
    guard let id = Int64(message.id) else { return false }
    return try await !database.rows(
      """
      DELETE FROM job_queue WHERE id = \(id) AND lock_token = \(message.lockToken)::uuid
      RETURNING id
      """
    ).isEmpty
  }

  public func abandon(_ message: QueueMessage, delay: Duration) async throws {
    guard let id = Int64(message.id) else { return }
    let seconds = Double(delay.components.seconds)
    try await database.execute(
      """
      UPDATE job_queue SET lock_token = NULL,
             visible_at = clock_timestamp() + make_interval(secs => \(seconds))
      WHERE id = \(id) AND lock_token = \(message.lockToken)::uuid
      """)
  }
}
