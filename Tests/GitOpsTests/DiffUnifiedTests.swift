import Foundation
import GitOps
import TestSupport
import Testing
import YAML

/// The unified diff, checked line for line against GNU diffutils' `diff -u` on the same two files.
@Suite struct DiffUnifiedTests {
  /// `diff -u --label live --label desired` of the two texts, written to files.
  static func gnuDiff(_ old: String, _ new: String, context: Int = 3) throws -> String {
    let directory = try TemporaryDirectory(prefix: "gitops-diff")
    try Data(old.utf8).write(to: directory.file("live"))
    try Data(new.utf8).write(to: directory.file("desired"))
    let result = try Command.run([
      "diff", "-U", "\(context)", "--label", "live", "--label", "desired",
      directory.file("live").path, directory.file("desired").path,
    ])
    // diff exits 0 when equal, 1 when different, 2 on trouble.
    #expect(result.status == 0 || result.status == 1, "\(result.standardError)")
    return result.standardOutput
  }

  static func ours(_ old: String, _ new: String, context: Int = 3) -> String {
    UnifiedDiff.render(old: old, new: new, oldLabel: "live", newLabel: "desired", context: context)
  }

  @Test func knownSmallInputs() throws {
    let cases: [(String, String)] = [
      ("a\nb\nc\n", "a\nb\nc\n"),
      ("", "a\nb\n"),
      ("a\nb\n", ""),
      ("a\n", "b\n"),
      ("a\nb\nc\nd\n", "a\nc\nd\ne\n"),
      ("a\nb\nc", "a\nb\nc\n"),
      ("a\nb\nc", "a\nB\nc"),
      ("x\n", "x"),
      (
        (1...30).map { "\($0)\n" }.joined(),
        (1...30).map { $0 == 5 ? "X\n" : $0 == 12 ? "Y\n" : "\($0)\n" }.joined()
      ),
      (
        (1...30).map { "\($0)\n" }.joined(),
        (1...30).map { $0 == 5 ? "X\n" : $0 == 13 ? "Y\n" : "\($0)\n" }.joined()
      ),
      ("- a\n- b\n- a\n- b\n", "- a\n- b\n- a\n- b\n- a\n- b\n"),
      ("a\nb\nc\na\nb\nc\n", "a\nb\nc\n"),
    ]
    for (old, new) in cases {
      #expect(
        Self.ours(old, new) == (try Self.gnuDiff(old, new)),
        "\(old.debugDescription) -> \(new.debugDescription)")
    }
    #expect(
      Self.ours("a\nb\nc\nd\n", "a\nc\nd\ne\n")
        == "--- live\n+++ desired\n@@ -1,4 +1,4 @@\n a\n-b\n c\n d\n+e\n")
    #expect(Self.ours("", "a\n") == "--- live\n+++ desired\n@@ -0,0 +1 @@\n+a\n")
  }

  @Test func contextSizes() throws {
    let old = (1...40).map { "line \($0)\n" }.joined()
    let new = old.replacingOccurrences(of: "line 10\n", with: "line ten\n")
      .replacingOccurrences(of: "line 20\n", with: "")
      .replacingOccurrences(of: "line 33\n", with: "line 33\nline 33a\n")
    for context in [0, 1, 3, 5, 10] {
      #expect(
        Self.ours(old, new, context: context) == (try Self.gnuDiff(old, new, context: context)),
        "context \(context)")
    }
  }

  /// A realistic change: a new image digest, fewer replicas, an added container port and a removed
  /// label, in a Deployment rendered as sorted YAML.
  @Test func deploymentChange() throws {
    let live = try YAML.loadOne(DiffNormalizerTests.live)
    var desiredText = DiffNormalizerTests.live
      .replacingOccurrences(of: "sha256:4b1c0e5f", with: "sha256:9e8d7c6b")
      .replacingOccurrences(of: "replicas: 5", with: "replicas: 3")
      .replacingOccurrences(
        of: "        name: user-service\n",
        with:
          "        name: user-service\n        ports:\n        - containerPort: 8080\n          name: http\n"
      )
    desiredText = desiredText.replacingOccurrences(
      of: "    app.kubernetes.io/managed-by: tripgen\n", with: "")
    let desired = try YAML.loadOne(desiredText)
    let normalizer = LiveObjectNormalizer()
    let diff = ObjectDiff.normalizing(desired: desired, live: live, with: normalizer)
    #expect(diff.differs)
    let text = diff.unifiedDiff()
    #expect(text == (try Self.gnuDiff(diff.liveYAML, diff.desiredYAML)))
    #expect(text.hasPrefix("--- live\n+++ desired\n@@ "))
    #expect(text.contains("-      - image: tripgen.azurecr.io/user-service@sha256:4b1c0e5f\n"))
    #expect(text.contains("+      - image: tripgen.azurecr.io/user-service@sha256:9e8d7c6b\n"))
    #expect(text.contains("-    app.kubernetes.io/managed-by: tripgen\n"))
    #expect(text.contains("+        - containerPort: 8080\n"))
  }

  /// Random edits of line sequences drawn from a small alphabet: many equally short diffs exist, so
  /// this checks that ours picks GNU diff's, hunk for hunk.
  @Test func randomEditsAgreeWithGNUDiff() throws {
    var generator = DiffTestRandom(seed: 0x7269_7067_656E)
    let alphabet = ["a", "b", "c", "- name: x", "  port: 80", "", "}", "d", "e"]
    for round in 0..<150 {
      let length = Int(generator.next() % 60)
      let old = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      var new = old
      for _ in 0..<Int(generator.next() % 8) {
        let position = new.isEmpty ? 0 : Int(generator.next() % UInt64(new.count + 1))
        switch generator.next() % 3 {
        case 0 where position < new.count: new.remove(at: position)
        case 1 where position < new.count:
          new[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
        default: new.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
        }
      }
      let oldText = old.map { $0 + "\n" }.joined()
      let newText = new.map { $0 + "\n" }.joined()
      let expected = try Self.gnuDiff(oldText, newText)
      let actual = Self.ours(oldText, newText)
      #expect(
        actual == expected,
        "round \(round)\n\(oldText.debugDescription)\n\(newText.debugDescription)")
      if actual != expected { break }
    }
  }

  /// Two 5,000-line documents with scattered changes diff in well under 100 ms of CPU time, even in a
  /// debug build. CPU time of this thread, not wall time: other builds may share the machine.
  @Test func fiveThousandLinesAreFast() throws {
    let old = (0..<5000).map { "  key\($0 % 700): value \($0)\n" }.joined()
    var lines = old.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
      String.init)
    for index in stride(from: 17, to: 5000, by: 97) { lines[index] = "  changed: \(index)" }
    for index in stride(from: 4900, to: 0, by: -331) {
      lines.insert("  inserted: \(index)", at: index)
    }
    let new = lines.map { $0 + "\n" }.joined()
    var text = ""
    let elapsed = Self.threadCPUTime { text = Self.ours(old, new) }
    #expect(text == (try Self.gnuDiff(old, new)))
    print("diff of two 5,000-line documents: \(elapsed) of CPU time")
    #expect(elapsed < .milliseconds(100))

    // Nothing in common: every line is set aside before the search, the output is all of both.
    let other = (0..<5000).map { "  other\($0): \($0 * 7)\n" }.joined()
    let unrelated = Self.threadCPUTime { text = Self.ours(old, other) }
    #expect(text == (try Self.gnuDiff(old, other)))
    print("diff of two unrelated 5,000-line documents: \(unrelated) of CPU time")
    #expect(unrelated < .milliseconds(100))
  }

  /// The same 5,000 lines in another order: the longest search, where GNU diff (and we) stop looking
  /// for the shortest script after a bound and split at the furthest point reached.
  @Test func thoroughlyReorderedDocumentAgreesWithGNUDiff() throws {
    let old = (0..<5000).map { "  key\($0 % 700): value \($0)\n" }.joined()
    let reordered = (0..<5000).map { index in
      let moved = index * 37 % 5000
      return "  key\(moved % 700): value \(moved)\n"
    }.joined()
    var text = ""
    let elapsed = Self.threadCPUTime { text = Self.ours(old, reordered) }
    print("diff of a reordered 5,000-line document: \(elapsed) of CPU time")
    #expect(text == (try Self.gnuDiff(old, reordered)))
  }

  /// The CPU time the calling thread spends in `work`.
  static func threadCPUTime(_ work: () -> Void) -> Duration {
    func now() -> Duration {
      var time = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
      return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }
    let start = now()
    work()
    return now() - start
  }
}

/// A small seeded generator, so the random test is the same on every run.
struct DiffTestRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
