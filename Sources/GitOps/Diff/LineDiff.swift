/// A shortest line diff (Myers' O(ND) algorithm, in linear space by the middle snake), made to choose
/// the same changes as GNU diff among equally short ones: like GNU diff it first sets aside lines that
/// cannot match (they occur only on one side) or that would only confuse the search (very frequent
/// lines inside runs of such), then compares the rest, then slides each run of changes to the same
/// place GNU diff's `shift_boundaries` does. Two 5,000-line documents compare in milliseconds.
public enum LineDiff {
  /// Lines of context GNU diff keeps around the changed region when it trims the common prefix and
  /// suffix (its "horizon" for `-u`); they count when lines are classified.
  static let horizon = 3

  /// The changes that turn `old` into `new`, in order.
  public static func changes<Line: Hashable>(from old: [Line], to new: [Line]) -> [LineChange] {
    // Number the distinct lines once: everything below compares integers.
    var classes: [Line: Int] = [:]
    classes.reserveCapacity(old.count + new.count)
    func number(_ line: Line) -> Int {
      if let known = classes[line] { return known }
      let next = classes.count + 1
      classes[line] = next
      return next
    }
    let oldClasses = old.map(number)
    let newClasses = new.map(number)

    // The identical prefix and suffix need no search; keep a horizon of them, as GNU diff does.
    var prefix = 0
    while prefix < oldClasses.count, prefix < newClasses.count,
      oldClasses[prefix] == newClasses[prefix]
    {
      prefix += 1
    }
    var suffix = 0
    while suffix < oldClasses.count - prefix, suffix < newClasses.count - prefix,
      oldClasses[oldClasses.count - 1 - suffix] == newClasses[newClasses.count - 1 - suffix]
    {
      suffix += 1
    }
    if prefix == oldClasses.count && prefix == newClasses.count { return [] }
    let start = prefix - min(prefix, horizon)
    let oldWindow = Array(oldClasses[start..<(oldClasses.count - suffix + min(suffix, horizon))])
    let newWindow = Array(newClasses[start..<(newClasses.count - suffix + min(suffix, horizon))])

    var comparison = WindowComparison(old: oldWindow, new: newWindow, classCount: classes.count)
    comparison.run()
    return comparison.script().map { change in
      LineChange(
        oldStart: change.oldStart + start, oldCount: change.oldCount,
        newStart: change.newStart + start, newCount: change.newCount)
    }
  }
}

/// The comparison of the two windows (the lines between the trimmed prefix and suffix, plus horizon).
struct WindowComparison {
  let old: [Int]
  let new: [Int]
  /// Per line of each side, whether it is changed; one sentinel `false` before and after each.
  var oldChanged: [Bool]
  var newChanged: [Bool]

  /// Lines are numbered 1...classCount.
  let classCount: Int

  init(old: [Int], new: [Int], classCount: Int) {
    self.old = old
    self.new = new
    self.classCount = classCount
    oldChanged = Array(repeating: false, count: old.count + 2)
    newChanged = Array(repeating: false, count: new.count + 2)
  }

  mutating func run() {
    let oldDiscards = LineDiscarding.discards(
      lines: old, otherSide: new, classCount: classCount)
    let newDiscards = LineDiscarding.discards(
      lines: new, otherSide: old, classCount: classCount)
    // The search runs on the lines that were kept; discarded lines are changed by definition.
    var oldKept: [Int] = []
    var oldIndex: [Int] = []
    for (index, discarded) in oldDiscards.enumerated() {
      if discarded {
        oldChanged[index + 1] = true
      } else {
        oldKept.append(old[index])
        oldIndex.append(index)
      }
    }
    var newKept: [Int] = []
    var newIndex: [Int] = []
    for (index, discarded) in newDiscards.enumerated() {
      if discarded {
        newChanged[index + 1] = true
      } else {
        newKept.append(new[index])
        newIndex.append(index)
      }
    }
    var search = MiddleSnakeSearch(x: oldKept, y: newKept)
    search.compare()
    for (kept, changed) in search.xChanged.enumerated() where changed {
      oldChanged[oldIndex[kept] + 1] = true
    }
    for (kept, changed) in search.yChanged.enumerated() where changed {
      newChanged[newIndex[kept] + 1] = true
    }
    BoundaryShifting.shift(lines: old, changed: &oldChanged, otherChanged: &newChanged)
    BoundaryShifting.shift(lines: new, changed: &newChanged, otherChanged: &oldChanged)
  }

  /// The changes, read off the two `changed` arrays in order.
  func script() -> [LineChange] {
    var changes: [LineChange] = []
    var i = 0
    var j = 0
    while i < old.count || j < new.count {
      if oldChanged[i + 1] || newChanged[j + 1] {
        let oldStart = i
        let newStart = j
        while oldChanged[i + 1] { i += 1 }
        while newChanged[j + 1] { j += 1 }
        changes.append(
          LineChange(
            oldStart: oldStart, oldCount: i - oldStart, newStart: newStart, newCount: j - newStart))
      }
      i += 1
      j += 1
    }
    return changes
  }
}
