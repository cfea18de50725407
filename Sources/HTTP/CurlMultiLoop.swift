import CCurl
import Foundation
import Synchronization

/// One curl multi handle and the dedicated thread that drives it.
///
/// Every transfer of a client runs here, so connections (and HTTP/2 streams) are shared, and no
/// blocking curl call ever runs on Swift's cooperative pool. Other threads talk to the loop only
/// through `start`, `cancel`, `resume` and `shutdown`, which queue a command under a mutex and wake the
/// thread from curl_multi_poll with curl_multi_wakeup. The loop thread is the only one that
/// touches the multi handle, the easy handles it holds, and the transfers' callback state, and
/// the only one that resumes their continuations.
final class CurlMultiLoop: @unchecked Sendable {
  private struct Commands {
    var starts: [CurlTransfer] = []
    var cancellations: [CurlTransfer] = []
    var resumptions: [CurlTransfer] = []
    var shuttingDown = false
  }

  private let multi: UnsafeMutableRawPointer
  private let commands = Mutex(Commands())
  /// Transfers in the multi handle, by easy handle. Loop thread only.
  private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

  init() {
    CurlGlobal.initialize()
    multi = curl_multi_init()!
    // Multiplexing is curl's default since 7.62; said here because connection sharing relies on it.
    tg_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
    let thread = Thread { [self] in run() }
    thread.name = "tripgen-http-curl"
    thread.start()
  }

  /// Queues a transfer. If its task was already cancelled, it ends at once as `.cancelled`.
  func start(_ transfer: CurlTransfer) {
    let refused = commands.withLock { commands -> TransferOutcome? in
      if commands.shuttingDown { return .failed(.cancelled(url: transfer.displayURL)) }
      if transfer.cancellationRequested.withLock({ $0 }) { return .cancelled }
      commands.starts.append(transfer)
      // Inside the lock: once shuttingDown is set the loop may free the multi handle.
      curl_multi_wakeup(multi)
      return nil
    }
    if let refused { transfer.finish(refused) }
  }

  /// Asks the loop to drop a transfer, from any thread; a no-op once it finished.
  func cancel(_ transfer: CurlTransfer) {
    commands.withLock { commands in
      transfer.cancellationRequested.withLock { $0 = true }
      guard !commands.shuttingDown else { return }
      commands.cancellations.append(transfer)
      curl_multi_wakeup(multi)
    }
  }

  /// Asks the loop to unpause a streamed transfer whose reader caught up, from any thread
  /// (curl_easy_pause may only be called on the loop thread); a no-op once it finished.
  func resume(_ transfer: CurlTransfer) {
    commands.withLock { commands in
      guard !commands.shuttingDown else { return }
      commands.resumptions.append(transfer)
      curl_multi_wakeup(multi)
    }
  }

  /// Stops the thread; transfers still running fail with `HTTPError.cancelled`.
  func shutdown() {
    commands.withLock { commands in
      guard !commands.shuttingDown else { return }
      commands.shuttingDown = true
      curl_multi_wakeup(multi)
    }
  }

  private func run() {
    var stillRunning: Int32 = 0
    while true {
      let pending = commands.withLock { commands in
        let taken = commands
        commands.starts = []
        commands.cancellations = []
        commands.resumptions = []
        return taken
      }
      for transfer in pending.starts {
        if transfer.cancellationRequested.withLock({ $0 }) {
          transfer.finish(.cancelled)
          continue
        }
        let code = curl_multi_add_handle(multi, transfer.easy)
        guard code == CURLM_OK else {
          let reason = String(cString: curl_multi_strerror(code))
          transfer.finish(.failed(.invalidRequest(url: transfer.displayURL, reason: reason)))
          continue
        }
        active[transfer.easy] = transfer
      }
      for transfer in pending.cancellations {
        guard active.removeValue(forKey: transfer.easy) != nil else { continue }
        curl_multi_remove_handle(multi, transfer.easy)
        transfer.finish(.cancelled)
      }
      for transfer in pending.resumptions where active[transfer.easy] != nil {
        // May call the write callback at once with the data curl held back; it may pause again.
        _ = curl_easy_pause(transfer.easy, 0)  // CURLPAUSE_CONT
      }
      if pending.shuttingDown { break }

      curl_multi_perform(multi, &stillRunning)
      var queued: Int32 = 0
      while let message = curl_multi_info_read(multi, &queued) {
        guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
          let transfer = active.removeValue(forKey: easy)
        else { continue }
        let code = message.pointee.data.result
        // Read the outcome before removing the handle: removal may reset some of its info.
        let outcome = transfer.outcome(for: code)
        curl_multi_remove_handle(multi, easy)
        transfer.finish(outcome)
      }
      // Sleeps until a socket is ready, a curl timer is due, or curl_multi_wakeup; the cap
      // only bounds how stale a missed wakeup could make the loop.
      curl_multi_poll(multi, nil, 0, 1000, nil)
    }
    for (easy, transfer) in active {
      curl_multi_remove_handle(multi, easy)
      transfer.finish(.failed(.cancelled(url: transfer.displayURL)))
    }
    active = [:]
    // Under the lock, so that no other thread is inside curl_multi_wakeup meanwhile.
    commands.withLock { _ in _ = curl_multi_cleanup(multi) }
  }
}
