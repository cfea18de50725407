import Testing

@testable import Kube

/// Watch bodies arrive cut anywhere: lines must come out whole, in order, however the bytes are
/// chunked.
@Suite struct KubeWatchLineSplitterTests {
  @Test func linesSurviveEveryWayOfCuttingTheBody() {
    let body = Array(
      "{\"type\":\"ADDED\"}\n\n{\"type\":\"MODIFIED\",\"x\":\"é\"}\r\n{\"type\":\"DELETED\"}\n".utf8
    )
    let expected = [
      Array("{\"type\":\"ADDED\"}".utf8), Array("{\"type\":\"MODIFIED\",\"x\":\"é\"}".utf8),
      Array("{\"type\":\"DELETED\"}".utf8),
    ]
    for size in 1...body.count {
      var splitter = KubeWatchLineSplitter()
      var lines: [[UInt8]] = []
      var start = 0
      while start < body.count {
        let end = min(start + size, body.count)
        lines += splitter.lines(completedBy: Array(body[start..<end]))
        start = end
      }
      #expect(lines == expected, "chunks of \(size) bytes")
    }
  }

  @Test func anUnfinishedLineWaitsForItsNewline() {
    var splitter = KubeWatchLineSplitter()
    #expect(splitter.lines(completedBy: Array("{\"a\":".utf8)).isEmpty)
    #expect(splitter.lines(completedBy: Array("1}".utf8)).isEmpty)
    #expect(splitter.lines(completedBy: Array("\n{".utf8)) == [Array("{\"a\":1}".utf8)])
  }
}
