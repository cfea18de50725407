import Foundation
import GoTemplate
import Testing

@testable import Sprig

/// Sprig behaviour that the Helm oracle cannot show (Helm overrides or disables these) and
/// properties of the function table.
@Suite("Sprig's own behaviour")
struct SprigBehaviourTests {
  /// Sprig v3.3's `TxtFuncMap` names (listed from Helm's engine, which has them all but `env`
  /// and `expandenv`).
  static let sprigNames = """
    hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate \
    htmlDateInZone must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth \
    trunc trim upper lower title untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace \
    initials randAlphaNum randAlpha randAscii randNumeric swapcase shuffle snakecase camelcase \
    kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote cat indent nindent replace plural \
    sha1sum sha256sum sha512sum adler32sum toString atoi int64 int float64 seq toDecimal split \
    splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf divf \
    mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any \
    compact mustCompact fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson \
    mustToPrettyJson mustToRawJson ternary deepCopy mustDeepCopy typeOf typeIs typeIsLike kindOf \
    kindIs deepEqual getHostByName base dir clean ext isAbs osBase osClean osDir osExt osIsAbs b64enc \
    b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit merge \
    mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend \
    mustPrepend first mustFirst rest mustRest last mustLast initial mustInitial reverse mustReverse \
    uniq mustUniq without mustWithout has mustHas slice mustSlice concat dig chunk mustChunk bcrypt \
    htpasswd genPrivateKey derivePassword buildCustomCert genCA genCAWithKey genSelfSignedCert \
    genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES decryptAES randBytes \
    uuidv4 semver semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll \
    regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral \
    mustRegexReplaceAllLiteral regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin
    """.split(separator: " ").map(String.init)

  @Test("every Sprig function is present except the documented missing ones")
  func functionTable() {
    let present = Set(Sprig.functions.keys)
    let absent = Set(Self.sprigNames).subtracting(present)
    #expect(absent == Set(Sprig.missingFunctions))
    #expect(present.subtracting(Self.sprigNames).isEmpty)
    #expect(present.contains("env") == false && present.contains("expandenv") == false)
  }

  @Test("Sprig's fromJson gives nil for bad JSON; mustFromJson fails")
  func fromJson() throws {
    #expect(try renderHelmStyle("{{ fromJson \"nope\" | typeOf }}") == "<nil>")
    #expect(try renderHelmStyle("{{ (fromJson \"{\\\"a\\\": 1}\").a }}") == "1")
    #expect(
      renderError("{{ mustFromJson \"[1,\" }}")?.hasSuffix("unexpected end of JSON input") == true)
  }

  @Test("getHostByName resolves localhost and fails on unknown names")
  func hostLookup() throws {
    let address = try renderHelmStyle("{{ getHostByName \"localhost\" }}")
    #expect(address == "127.0.0.1" || address == "::1")
    #expect(renderError("{{ getHostByName \"name.invalid\" }}") != nil)
  }

  @Test("set, unset and merge change the caller's map and return that same map")
  func mapsAreReferences() throws {
    #expect(
      try renderHelmStyle("{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ $d | toJson }}")
        == #"{"a":1,"b":2}"#)
    #expect(
      try renderHelmStyle("{{ merge (dict \"a\" 1) (dict \"a\" 2 \"b\" 3) | toJson }}")
        == #"{"a":1,"b":3}"#)

    // The data the caller passed in is the map the template changed.
    let values: TemplateMap = ["keep": 1, "drop": 2, "nested": ["x": 1]]
    let nested = try #require(
      { if case .map(let map)? = values["nested"] { map } else { nil } }())
    _ = try renderHelmStyle(
      """
      {{- $_ := set .Values "added" "yes" }}{{ $_ := unset .Values "drop" }}
      {{- $_ := mergeOverwrite .Values.nested (dict "x" 5 "y" 6) }}
      """, values: .map(values))
    #expect(values.sortedKeys == ["added", "keep", "nested"])
    #expect(nested.sortedKeys == ["x", "y"])
    if case .int(let x)? = nested["x"] { #expect(x == 5) } else { Issue.record("x is not 5") }

    // deepCopy's result shares nothing with its source.
    let source: TemplateMap = ["inner": ["k": "v"]]
    _ = try renderHelmStyle(
      "{{ $c := deepCopy .Values }}{{ $_ := set $c.inner \"k\" \"changed\" }}",
      values: .map(source))
    #expect(try renderHelmStyle("{{ .Values.inner.k }}", values: .map(source)) == "v")
  }

  @Test("concurrent executions on their own trees do not see each other's changes")
  func concurrentExecutionsAreIsolated() async throws {
    let template = """
      {{- $_ := set .Values "seen" (add (default 0 .Values.seen) 1) }}
      {{- $_ := merge .Values.nested (dict "id" .Values.id) }}
      {{- .Values.seen }}/{{ .Values.nested.id }}/{{ .Values.id }}
      """
    let outputs = try await withThrowingTaskGroup(of: (Int, String).self) { group in
      for id in 0..<64 {
        group.addTask {
          let values: TemplateValue = ["id": .int(id), "nested": [:]]
          return (id, try renderHelmStyle(template, values: values))
        }
      }
      return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
    }
    for id in 0..<64 { #expect(outputs[id] == "1/\(id)/\(id)") }
  }

  @Test("Go regular expressions are translated for ICU")
  func regexTranslation() {
    #expect(GoRegex.translate("a$") == "a(?!(?s:.))")
    #expect(GoRegex.translate("(?m)a$") == "(?m)a$")
    #expect(GoRegex.translate("(?P<year>\\d+)") == "(?<year>[0-9]+)")
    #expect(GoRegex.translate("[\\w.]\\S\\pL") == "[0-9A-Za-z_.][^\\t\\n\\f\\r ]\\p{L}")
    #expect(GoRegex.translate("[]a[]") == "[\\]a\\[]")
    #expect(GoRegex.translate("[[:alpha:]]") == "[[:alpha:]]")
    #expect(GoRegex.translate("") == "(?:)")
  }

  @Test("semver objects compare and print like Masterminds' Version")
  func semverObjects() throws {
    #expect(try renderHelmStyle("{{ (semver \"1.2.3-rc.1+b\").IncPatch }}") == "1.2.3")
    #expect(
      try renderHelmStyle(
        "{{ $v := semver \"2.0.0\" }}{{ if $v.GreaterThan (semver \"1.9\") }}newer{{ end }}")
        == "newer")
  }

  @Test("time values encode to RFC 3339 in JSON and print Go's String form")
  func timeValues() throws {
    #expect(
      try renderHelmStyle("{{ dateInZone \"2006-01-02 15:04 MST\" (int64 0) \"Europe/Berlin\" }}")
        == "1970-01-01 01:00 CET")
    #expect(
      try renderHelmStyle(
        "{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2021-03-04T05:06:07.089+01:00\" | toJson }}")
        == #""2021-03-04T05:06:07.089+01:00""#)
  }
}

@Suite("Extreme arguments fail or wrap as Go does, never trap")
struct ExtremeArgumentTests {
  @Test(
    "integer and time extremes render",
    arguments: [
      "{{ seq 9223372036854775807 | len }}",
      "{{ untilStep 0 9223372036854775807 4611686018427387904 }}",
      "{{ untilStep 0 -9223372036854775807 -4611686018427387904 }}",
      "{{ add 9223372036854775807 1 }} {{ mul 9223372036854775807 2 }} {{ sub -9223372036854775807 2 }}",
      "{{ div -9223372036854775808 -1 }} {{ mod -9223372036854775808 -1 }}",
      "{{ dateInZone \"2006\" 9223372036854775807 \"UTC\" }}",
      "{{ dateInZone \"2006\" -9223372036854775807 \"Asia/Tokyo\" }}",
      "{{ ago -9223372036854775807 }} {{ durationRound -9223372036854775807 }}",
      "{{ ((toDate \"2006\" \"2020\").AddDate 999999999999 0 0).Year }}",
      "{{ duration \"9223372036854775807\" }}",
      "{{ int 1e300 }} {{ int \"9223372036854775808\" }} {{ atoi \"99999999999999999999\" }}",
      "{{ round 1.5 400 }} {{ addf 1e308 1e308 }}",
      "{{ trunc -9223372036854775807 \"abc\" }} {{ substr -1 2 \"abc\" }} {{ abbrevboth -5 10 \"abcdefghijklmnop\" }}",
    ])
  func extremes(template: String) {
    // Reaching here without a trap is the point; both outcomes are Go-like.
    _ = Result { try renderHelmStyle(template) }
  }

  @Test("int64 wrap-around matches Go")
  func wrapping() throws {
    #expect(
      try renderHelmStyle("{{ add 9223372036854775807 1 }} {{ div -9223372036854775808 -1 }}")
        == "-9223372036854775808 -9223372036854775808")
    #expect(try renderHelmStyle("{{ int \"9223372036854775808\" }}") == "0")
    #expect(try renderHelmStyle("{{ atoi \"99999999999999999999\" }}") == "9223372036854775807")
  }
}

@Suite("Sprig functions under concurrent use")
struct ConcurrentUseTests {
  @Test("rendering from many threads at once gives the same results as one thread")
  func concurrentRendering() throws {
    let template = """
      {{ toString 1.5 }} {{ regexReplaceAll "(a+)" "caaat" "<$1>" }} {{ semverCompare "^1.2" "1.4.0" }} \
      {{ dateInZone "2006-01-02 MST" 1700000000 "Europe/Berlin" }} {{ toJson (dict "k" (list 1 2)) }} \
      {{ sha256sum "x" | trunc 8 }} {{ quote "q" }} {{ merge (dict "a" 1) (dict "b" 2) | toJson }}
      """
    let expected = try renderHelmStyle(template)
    let results = ConcurrentResults(count: 64)
    DispatchQueue.concurrentPerform(iterations: 64) { index in
      results.store(index, (try? renderHelmStyle(template)) ?? "failed")
    }
    #expect(results.all.allSatisfy { $0 == expected })
    #expect(expected.hasPrefix("1.5 c<aaa>t true 2023-11-14 CET"))
  }
}

/// Results written from concurrent iterations, each to its own slot.
final class ConcurrentResults: @unchecked Sendable {
  private var values: [String]
  private let lock = NSLock()

  init(count: Int) { values = Array(repeating: "", count: count) }

  func store(_ index: Int, _ value: String) {
    lock.lock()
    values[index] = value
    lock.unlock()
  }

  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return values
  }
}
