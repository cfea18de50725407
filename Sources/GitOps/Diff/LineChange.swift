/// One change between two line sequences: `oldCount` lines at `oldStart` of the old sequence were
/// replaced by `newCount` lines at `newStart` of the new one (0-based; a count may be 0).
public struct LineChange: Sendable, Equatable {
  public var oldStart: Int
  public var oldCount: Int
  public var newStart: Int
  public var newCount: Int

  public init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int) {
    self.oldStart = oldStart
    self.oldCount = oldCount
    self.newStart = newStart
    self.newCount = newCount
  }

  /// The index after the last replaced line of the old sequence.
  public var oldEnd: Int { oldStart + oldCount }
  /// The index after the last inserted line of the new sequence.
  public var newEnd: Int { newStart + newCount }
}
