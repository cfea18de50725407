/// Myers' O(ND) search for a shortest edit script in linear space: find the middle snake of the
/// forward and backward searches, then solve the two halves (GNU diff's `diag` and `compareseq`).
///
/// Like GNU diff without `--minimal`, a search that goes on for more rounds than about the square
/// root of the input size (at least 4096) gives up on being shortest and splits at the furthest point
/// reached, so a huge, thoroughly reordered document costs bounded time; both halves are then solved
/// exactly. Below that bound the script is always a shortest one.
struct MiddleSnakeSearch {
  private(set) var xChanged: [Bool]
  private(set) var yChanged: [Bool]
  private let x: [Int]
  private let y: [Int]

  init(x: [Int], y: [Int]) {
    self.x = x
    self.y = y
    xChanged = Array(repeating: false, count: x.count)
    yChanged = Array(repeating: false, count: y.count)
  }

  mutating func compare() {
    guard !x.isEmpty, !y.isEmpty else {
      xChanged = Array(repeating: true, count: x.count)
      yChanged = Array(repeating: true, count: y.count)
      return
    }
    let search = Workspace(x: x, y: y)
    defer { search.release() }
    search.compare(xOffset: 0, xLimit: x.count, yOffset: 0, yLimit: y.count, findMinimal: false)
    xChanged = Array(UnsafeBufferPointer(start: search.xChanged, count: x.count))
    yChanged = Array(UnsafeBufferPointer(start: search.yChanged, count: y.count))
  }
}

/// The buffers of one search. Raw pointers: the inner loops run in debug builds too (tests), where
/// array bounds checks and copy-on-write checks would cost more than the algorithm.
private final class Workspace {
  let xv: UnsafeMutablePointer<Int>
  let yv: UnsafeMutablePointer<Int>
  let xChanged: UnsafeMutablePointer<Bool>
  let yChanged: UnsafeMutablePointer<Bool>
  /// Furthest reaching x per diagonal (k = x - y), forward and backward, indexed from -(|y| + 1).
  let forward: UnsafeMutablePointer<Int>
  let backward: UnsafeMutablePointer<Int>
  private let diagonalStorage: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>)
  /// Rounds after which a non-minimal search settles for the furthest point reached.
  let tooExpensive: Int

  init(x: [Int], y: [Int]) {
    xv = .allocate(capacity: x.count)
    xv.initialize(from: x, count: x.count)
    yv = .allocate(capacity: y.count)
    yv.initialize(from: y, count: y.count)
    xChanged = .allocate(capacity: x.count)
    xChanged.initialize(repeating: false, count: x.count)
    yChanged = .allocate(capacity: y.count)
    yChanged.initialize(repeating: false, count: y.count)
    let diagonals = x.count + y.count + 3
    let forwardStorage = UnsafeMutablePointer<Int>.allocate(capacity: diagonals)
    forwardStorage.initialize(repeating: 0, count: diagonals)
    let backwardStorage = UnsafeMutablePointer<Int>.allocate(capacity: diagonals)
    backwardStorage.initialize(repeating: 0, count: diagonals)
    diagonalStorage = (forwardStorage, backwardStorage)
    forward = forwardStorage + (y.count + 1)
    backward = backwardStorage + (y.count + 1)
    // About the square root of the number of diagonals, at least 4096 (GNU diff's bound).
    var bound = 1
    var remaining = diagonals
    while remaining != 0 {
      remaining >>= 2
      bound <<= 1
    }
    tooExpensive = max(4096, bound)
  }

  func release() {
    xv.deallocate()
    yv.deallocate()
    xChanged.deallocate()
    yChanged.deallocate()
    diagonalStorage.0.deallocate()
    diagonalStorage.1.deallocate()
  }

  func compare(xOffset: Int, xLimit: Int, yOffset: Int, yLimit: Int, findMinimal: Bool) {
    var xOffset = xOffset
    var yOffset = yOffset
    var xLimit = xLimit
    var yLimit = yLimit
    // Slide down the diagonal at the start and up the one at the end.
    while xOffset < xLimit, yOffset < yLimit, xv[xOffset] == yv[yOffset] {
      xOffset += 1
      yOffset += 1
    }
    while xOffset < xLimit, yOffset < yLimit, xv[xLimit - 1] == yv[yLimit - 1] {
      xLimit -= 1
      yLimit -= 1
    }
    if xOffset == xLimit {
      for index in yOffset..<yLimit { yChanged[index] = true }
    } else if yOffset == yLimit {
      for index in xOffset..<xLimit { xChanged[index] = true }
    } else {
      let split = middleSnake(
        xOffset: xOffset, xLimit: xLimit, yOffset: yOffset, yLimit: yLimit,
        findMinimal: findMinimal)
      compare(
        xOffset: xOffset, xLimit: split.x, yOffset: yOffset, yLimit: split.y,
        findMinimal: split.lowMinimal)
      compare(
        xOffset: split.x, xLimit: xLimit, yOffset: split.y, yLimit: yLimit,
        findMinimal: split.highMinimal)
    }
  }

  /// Where to split the problem, and whether each half must be solved minimally.
  struct Split {
    var x: Int
    var y: Int
    var lowMinimal: Bool
    var highMinimal: Bool
  }

  /// The point where the forward and backward searches first overlap: a split of a shortest script
  /// (or, past `tooExpensive` rounds of a non-minimal search, the furthest point either reached).
  private func middleSnake(
    xOffset: Int, xLimit: Int, yOffset: Int, yLimit: Int, findMinimal: Bool
  ) -> Split {
    let lowestDiagonal = xOffset - yLimit
    let highestDiagonal = xLimit - yOffset
    let forwardMiddle = xOffset - yOffset
    let backwardMiddle = xLimit - yLimit
    var forwardLow = forwardMiddle
    var forwardHigh = forwardMiddle
    var backwardLow = backwardMiddle
    var backwardHigh = backwardMiddle
    // With an odd delta the forward search finds the overlap; with an even one the backward search.
    let odd = (forwardMiddle - backwardMiddle) & 1 != 0
    forward[forwardMiddle] = xOffset
    backward[backwardMiddle] = xLimit
    var round = 0
    while true {
      round += 1
      if forwardLow > lowestDiagonal {
        forwardLow -= 1
        forward[forwardLow - 1] = -1
      } else {
        forwardLow += 1
      }
      if forwardHigh < highestDiagonal {
        forwardHigh += 1
        forward[forwardHigh + 1] = -1
      } else {
        forwardHigh -= 1
      }
      var diagonal = forwardHigh
      while diagonal >= forwardLow {
        let low = forward[diagonal - 1]
        let high = forward[diagonal + 1]
        var x = low < high ? high : low + 1
        var y = x - diagonal
        while x < xLimit, y < yLimit, xv[x] == yv[y] {
          x += 1
          y += 1
        }
        forward[diagonal] = x
        if odd, backwardLow <= diagonal, diagonal <= backwardHigh, backward[diagonal] <= x {
          return Split(x: x, y: y, lowMinimal: true, highMinimal: true)
        }
        diagonal -= 2
      }

      if backwardLow > lowestDiagonal {
        backwardLow -= 1
        backward[backwardLow - 1] = Int.max
      } else {
        backwardLow += 1
      }
      if backwardHigh < highestDiagonal {
        backwardHigh += 1
        backward[backwardHigh + 1] = Int.max
      } else {
        backwardHigh -= 1
      }
      diagonal = backwardHigh
      while diagonal >= backwardLow {
        let low = backward[diagonal - 1]
        let high = backward[diagonal + 1]
        var x = low < high ? low : high - 1
        var y = x - diagonal
        while xOffset < x, yOffset < y, xv[x - 1] == yv[y - 1] {
          x -= 1
          y -= 1
        }
        backward[diagonal] = x
        if !odd, forwardLow <= diagonal, diagonal <= forwardHigh, x <= forward[diagonal] {
          return Split(x: x, y: y, lowMinimal: true, highMinimal: true)
        }
        diagonal -= 2
      }

      guard !findMinimal, round >= tooExpensive else { continue }
      // Gone well beyond the call of duty: split at the furthest point either search reached.
      var forwardBestSum = -1
      var forwardBestX = 0
      diagonal = forwardHigh
      while diagonal >= forwardLow {
        var x = min(forward[diagonal], xLimit)
        var y = x - diagonal
        if yLimit < y {
          x = yLimit + diagonal
          y = yLimit
        }
        if forwardBestSum < x + y {
          forwardBestSum = x + y
          forwardBestX = x
        }
        diagonal -= 2
      }
      var backwardBestSum = Int.max
      var backwardBestX = 0
      diagonal = backwardHigh
      while diagonal >= backwardLow {
        var x = max(xOffset, backward[diagonal])
        var y = x - diagonal
        if y < yOffset {
          x = yOffset + diagonal
          y = yOffset
        }
        if x + y < backwardBestSum {
          backwardBestSum = x + y
          backwardBestX = x
        }
        diagonal -= 2
      }
      if (xLimit + yLimit) - backwardBestSum < forwardBestSum - (xOffset + yOffset) {
        return Split(
          x: forwardBestX, y: forwardBestSum - forwardBestX, lowMinimal: true, highMinimal: false)
      }
      return Split(
        x: backwardBestX, y: backwardBestSum - backwardBestX, lowMinimal: false, highMinimal: true)
    }
  }
}
