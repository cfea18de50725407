import Testing
import YAML

@Suite struct ParserTests {
  @Test func mappingsKeepKeyOrder() throws {
    let value = try #require(try loadBothWays("z: 1\na: 2\nm: 3\n").first)
    #expect(value.objectValue.map { Array($0.keys) } == ["z", "a", "m"])
  }

  @Test func nodesKnowTheirPositionStyleAndTag() throws {
    let text = "name: web\nports:\n  - 80\n  - !!str 443\nnote: 'quoted'\n"
    let root = try #require(try YAMLParser.parseDocuments(text).first)
    guard case .mapping(let entries, _) = root.kind else {
      Issue.record("expected a mapping")
      return
    }
    #expect(root.mark == Mark(line: 1, column: 1))
    #expect(entries[1].key.mark == Mark(line: 2, column: 1))
    guard case .sequence(let ports, _) = entries[1].value.kind else {
      Issue.record("expected a sequence")
      return
    }
    #expect(ports[1].mark == Mark(line: 4, column: 5))
    #expect(
      ports[1].kind == .scalar(YAMLScalar("443", style: .plain, tag: "tag:yaml.org,2002:str")))
    #expect(entries[2].value.kind == .scalar(YAMLScalar("quoted", style: .singleQuoted)))
    #expect(entries[2].value.mark == Mark(line: 5, column: 7))
  }

  @Test func anchorsAndAliasesResolve() throws {
    let text = """
      base: &base
        image: nginx
        port: 80
      copy: *base
      list: [&x 1, *x, *x]
      """
    let value = try #require(try loadBothWays(text).first)
    #expect(value["copy"] == ["image": "nginx", "port": 80])
    #expect(value["list"] == [1, 1, 1])
    let root = try #require(try YAMLParser.parseDocuments(text).first)
    guard case .mapping(let entries, _) = root.kind,
      case .alias(let name, let target) = entries[1].value.kind
    else {
      Issue.record("expected an alias node")
      return
    }
    #expect(name == "base")
    #expect(target.anchor == "base")
    #expect(entries[1].value.mark == Mark(line: 4, column: 7))
  }

  @Test func undefinedAliasIsAnError() {
    #expect(
      loadError("a: *missing\n")
        == .undefinedAlias(
          "missing", YAMLLocation(file: "test.yaml", mark: Mark(line: 1, column: 4))))
  }

  @Test func anchorsDoNotCrossDocuments() {
    #expect(loadError("a: &x 1\n---\nb: *x\n") != nil)
  }

  @Test func mergeKeysWithOneMappingAndWithAList() throws {
    let text = """
      defaults: &defaults
        replicas: 1
        image: nginx
      extra: &extra
        image: envoy
        debug: true
      one:
        <<: *defaults
        replicas: 3
      many:
        <<: [*defaults, *extra]
        name: web
      inline:
        <<: {a: 1}
      """
    let value = try #require(try loadBothWays(text).first)
    #expect(value["one"] == ["replicas": 3, "image": "nginx"])
    // In a list of merged mappings the earlier one wins.
    #expect(value["many"] == ["replicas": 1, "image": "nginx", "debug": true, "name": "web"])
    #expect(value["inline"] == ["a": 1])
  }

  /// go-yaml v2 applies a merge where it stands: a later `<<` overwrites an earlier explicit key.
  @Test func mergeAppliesInOrderAsGoYAMLv2Does() throws {
    let value = try #require(try loadBothWays("a: 1\n<<: {a: 2, b: 3}\n").first)
    #expect(value == ["a": 2, "b": 3])
  }

  @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
    #expect(try loadBothWays("'<<': {a: 1}\n") == [["<<": ["a": 1]]])
  }

  @Test func mergeOfAScalarIsAnError() {
    #expect(
      loadError("a:\n  <<: 3\n")
        == .invalidMerge(YAMLLocation(file: "test.yaml", mark: Mark(line: 2, column: 3))))
    #expect(loadError("a:\n  <<: [1]\n") != nil)
  }

  @Test func multiDocumentStreams() throws {
    let text = """
      a: 1
      ---
      b: 2
      ...
      ---
      ---
      # only a comment
      ...
      --- c
      """
    #expect(try loadBothWays(text) == [["a": 1], ["b": 2], nil, nil, "c"])
    #expect(try loadBothWays("") == [])
    #expect(try loadBothWays("# nothing\n") == [])
    #expect(try YAML.loadOne("") == nil)
    #expect(throws: YAMLError.multipleDocuments(count: 2, file: "x.yaml")) {
      try YAML.loadOne("a\n---\nb\n", file: "x.yaml")
    }
  }

  @Test func duplicateKeysNameBothLines() {
    let error = loadError("metadata:\n  name: a\n  labels: {}\n  name: b\n", file: "deploy.yaml")
    #expect(
      error
        == .duplicateKey(
          "name", YAMLLocation(file: "deploy.yaml", mark: Mark(line: 4, column: 3)),
          first: Mark(line: 2, column: 3)))
    #expect(
      error?.description
        == "deploy.yaml:4:3: duplicate key \"name\" (first defined at line 2, column 3); remove one of them"
    )
  }

  /// The comparison is on the JSON key, so different spellings of the same key collide.
  @Test func duplicateKeysAfterResolution() {
    #expect(loadError("true: a\nyes: b\n") != nil)
    #expect(loadError("1: a\n'1': b\n") != nil)
  }

  @Test func tabsAsIndentationAreASyntaxError() {
    let error = loadError("a:\n\tb: 1\n", file: "values.yaml")
    #expect(
      error
        == .syntax(
          YAMLLocation(file: "values.yaml", mark: Mark(line: 2, column: 1)),
          problem: "found character that cannot start any token",
          context: "while scanning for the next token"))
    #expect(
      error?.description
        == "values.yaml:2:1: found character that cannot start any token (while scanning for the next token)"
    )
  }

  @Test func unclosedQuoteNamesWhereItStarted() throws {
    let error = try #require(loadError("a: 1\nb: \"open\n", file: "v.yaml"))
    #expect(
      error.description
        == "v.yaml:3:1: found unexpected end of stream (while scanning a quoted scalar at line 2, column 4)"
    )
  }

  @Test func badIndentationIsReportedWithPosition() throws {
    let error = try #require(loadError("a:\n  b: 1\n c: 2\n"))
    guard case .syntax(let location, _, _) = error else {
      Issue.record("expected a syntax error, got \(error)")
      return
    }
    #expect(location.mark.line == 3)
  }

  @Test func invalidUTF8IsAReaderError() throws {
    let error = try #require(
      { () -> YAMLError? in
        do { _ = try YAML.load([0x61, 0x3A, 0x20, 0xFF, 0x0A], file: "bin.yaml") } catch {
          return error as? YAMLError
        }
        return nil
      }())
    #expect(error.description.hasPrefix("bin.yaml:1:4: invalid leading UTF-8 octet"))
  }

  @Test func utf16WithByteOrderMarkIsDetected() throws {
    let utf16: [UInt8] =
      [0xFF, 0xFE] + "name: caf\u{E9}\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    #expect(try YAML.load(utf16) == [["name": "caf\u{E9}"]])
  }

  @Test func billionLaughsFailsFast() throws {
    var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"]
    var previous = "a"
    for name in names {
      text +=
        "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",")
        + "]\n"
      previous = name
    }
    let start = ContinuousClock.now
    let error = loadError(text, file: "lol.yaml")
    #expect(ContinuousClock.now - start < .seconds(2))
    guard case .aliasExpansionLimit(let limit, let location) = error else {
      Issue.record("expected the alias limit, got \(String(describing: error))")
      return
    }
    #expect(limit == 1_000_000)
    #expect(location.file == "lol.yaml")
    #expect(error?.description.contains("alias bomb") == true)
    // A lower limit trips earlier; a generous one lets moderate reuse through.
    #expect(throws: YAMLError.self) {
      try YAML.load("a: &a [1,2,3]\nb: [*a,*a]\n", options: .init(maxAliasExpansion: 5))
    }
    #expect(
      try YAML.load("a: &a [1,2,3]\nb: [*a,*a]\n", options: .init(maxAliasExpansion: 8)).count == 1)
  }

  @Test func nestingDeeperThanTheLimitIsAnError() throws {
    let deep = String(repeating: "[", count: 2_000) + String(repeating: "]", count: 2_000)
    #expect(
      loadError(deep, file: "deep.yaml")
        == .nestingTooDeep(
          limit: 1_000, YAMLLocation(file: "deep.yaml", mark: Mark(line: 1, column: 1001))))
    let allowed = String(repeating: "[", count: 900) + "1" + String(repeating: "]", count: 900)
    var value = try #require(try loadBothWays(allowed).first)
    for _ in 0..<900 { value = try #require(value[0]) }
    #expect(value == 1)
    #expect(try YAML.loadOne(YAML.dump(try #require(try YAML.load(allowed).first))) != nil)
  }

  @Test func collectionsAsKeysAreRejected() {
    #expect(loadError("? [a]\n: b\n") != nil)
    #expect(loadError("? {a: 1}\n: b\n") != nil)
  }

  @Test func flowAndBlockStylesGiveTheSameValues() throws {
    let block = try loadBothWays("a:\n  - 1\n  - x: y\nb: {}\n")
    let flow = try loadBothWays("{a: [1, {x: y}], b: {}}")
    #expect(block == flow)
  }

  @Test func bigManifestStreamLoads() throws {
    var text = ""
    for index in 0..<6_000 {
      text += """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: service-\(index)
          labels: {app: service-\(index), tier: backend}
        spec:
          replicas: \(index % 5)
          template:
            spec:
              containers:
              - name: app
                image: registry.local/service:\(index)
                args: ["--port", "8080", "--verbose"]
                env:
                - {name: ENABLED, value: "true"}
              script: |
                #!/bin/sh
                echo starting \(index)
        ---

        """
    }
    #expect(text.utf8.count > 2_000_000)
    let documents = try loadBothWays(text, file: "big.yaml")
    // The final `---` opens one more, empty, document.
    #expect(documents.count == 6_001)
    #expect(documents.last == .some(.null))
    #expect(documents[4_321]["metadata"]?["name"] == "service-4321")
    #expect(documents[7]["spec"]?["replicas"] == 2)
    #expect(try YAML.load(YAML.dumpAll(documents)) == documents)
  }
}
