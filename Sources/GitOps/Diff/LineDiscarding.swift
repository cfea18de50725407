/// GNU diff's `discard_confusing_lines`: before the search, set aside the lines of one side that have
/// no match on the other (certainly changed), and the very frequent lines that sit inside runs of such
/// lines (matching them would only produce a confusing diff). Besides agreeing with GNU diff on which
/// of several shortest diffs to show, this keeps the search small when much changed.
enum LineDiscarding {
  private static let keep: UInt8 = 0
  private static let discard: UInt8 = 1
  private static let provisional: UInt8 = 2

  /// Per line of `lines`, whether it is set aside. Lines are numbered 1...`classCount`.
  static func discards(lines: [Int], otherSide: [Int], classCount: Int) -> [Bool] {
    var counts = Array(repeating: 0, count: classCount + 1)
    for line in otherSide { counts[line] += 1 }
    let end = lines.count
    // A line is "frequent" above this many matches; grows with the square root of the size.
    var many = 5
    var scale = end / 64
    while true {
      scale >>= 2
      guard scale > 0 else { break }
      many *= 2
    }
    var marks = lines.map { line -> UInt8 in
      let matches = counts[line]
      if matches == 0 { return discard }
      return matches > many ? provisional : keep
    }
    settleProvisionalDiscards(&marks)
    return marks.map { $0 != keep }
  }

  /// Keeps a provisional discard only inside a run of discards that starts and ends with certain ones,
  /// is mostly certain, and away from the run's ends (GNU diff's rules, step by step).
  private static func settleProvisionalDiscards(_ marks: inout [UInt8]) {
    let end = marks.count
    var i = 0
    while i < end {
      defer { i += 1 }
      if marks[i] == provisional {
        marks[i] = keep
        continue
      }
      guard marks[i] == discard else { continue }
      var provisionals = 0
      var j = i
      while j < end, marks[j] != keep {
        if marks[j] == provisional { provisionals += 1 }
        j += 1
      }
      while j > i, marks[j - 1] == provisional {
        j -= 1
        marks[j] = keep
        provisionals -= 1
      }
      let length = j - i
      if provisionals * 4 > length {
        // Too many frequent lines in this run: keep them all for the search.
        while j > i {
          j -= 1
          if marks[j] == provisional { marks[j] = keep }
        }
        continue
      }
      // The longest subrun of provisionals that may stand: about the square root of length / 4.
      var minimum = 1
      var scale = length >> 2
      while true {
        scale >>= 2
        guard scale > 0 else { break }
        minimum <<= 1
      }
      minimum += 1
      var consecutive = 0
      var k = 0
      while k < length {
        if marks[i + k] != provisional {
          consecutive = 0
        } else {
          consecutive += 1
          if consecutive == minimum {
            // Back up to the start of the subrun, to cancel all of it.
            k -= consecutive
          } else if consecutive > minimum {
            marks[i + k] = keep
          }
        }
        k += 1
      }
      // From each end, cancel provisionals until 3 certain discards in a row, or a certain discard
      // at least 8 lines in.
      cancelNearEnd(&marks, from: i, step: 1, length: length)
      i += length - 1
      cancelNearEnd(&marks, from: i, step: -1, length: length)
    }
  }

  private static func cancelNearEnd(_ marks: inout [UInt8], from start: Int, step: Int, length: Int)
  {
    var consecutive = 0
    for offset in 0..<length {
      let index = start + offset * step
      if offset >= 8 && marks[index] == discard { break }
      if marks[index] == provisional {
        consecutive = 0
        marks[index] = keep
      } else if marks[index] == keep {
        consecutive = 0
      } else {
        consecutive += 1
      }
      if consecutive == 3 { break }
    }
  }
}
