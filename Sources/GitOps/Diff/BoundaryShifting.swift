/// GNU diff's `shift_boundaries`: a run of changed lines that could equally sit a few lines higher or
/// lower (because the lines around it repeat) is first merged with neighbouring runs where possible,
/// then moved as far down as it goes, then back up to line up with a run of changes on the other side.
/// That is why `diff -u` shows an added YAML list item as the whole item, not a shifted slice of two.
enum BoundaryShifting {
  /// `changed` and `otherChanged` carry a `false` sentinel before the first and after the last line.
  static func shift(lines: [Int], changed: inout [Bool], otherChanged: inout [Bool]) {
    let end = lines.count
    // Indices below are line numbers; `+ 1` skips the leading sentinel.
    // Out of range reads as unchanged, like the sentinels (the scan keeps j in range; this is a guard).
    func isChanged(_ index: Int) -> Bool {
      changed.indices.contains(index + 1) && changed[index + 1]
    }
    func isOtherChanged(_ index: Int) -> Bool {
      otherChanged.indices.contains(index + 1) && otherChanged[index + 1]
    }
    var i = 0
    var j = 0
    while true {
      // Find the start of the next run, keeping j at the corresponding line of the other side.
      while i < end, !isChanged(i) {
        while isOtherChanged(j) { j += 1 }
        j += 1
        i += 1
      }
      if i == end { break }
      var start = i
      i += 1
      while isChanged(i) { i += 1 }
      while isOtherChanged(j) { j += 1 }

      var corresponding = end
      var runLength = 0
      repeat {
        runLength = i - start
        // Move the run up while the line above equals its last line, merging with runs above.
        while start != 0, lines[start - 1] == lines[i - 1] {
          start -= 1
          changed[start + 1] = true
          i -= 1
          changed[i + 1] = false
          while isChanged(start - 1) { start -= 1 }
          j -= 1
          while isOtherChanged(j) { j -= 1 }
        }
        // The lowest position where the run lines up with a run of the other side, if any.
        corresponding = isOtherChanged(j - 1) ? i : end
        // Move the run down while its first line equals the line below, merging with runs below.
        while i != end, lines[start] == lines[i] {
          changed[start + 1] = false
          start += 1
          changed[i + 1] = true
          i += 1
          while isChanged(i) { i += 1 }
          j += 1
          while isOtherChanged(j) {
            corresponding = i
            j += 1
          }
        }
      } while runLength != i - start

      // Move the fully merged run back up to where it lines up with the other side's run.
      while corresponding < i {
        start -= 1
        changed[start + 1] = true
        i -= 1
        changed[i + 1] = false
        j -= 1
        while isOtherChanged(j) { j -= 1 }
      }
    }
  }
}
