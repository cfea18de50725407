import Testing

@testable import Helm

@Suite struct GlobPatternTests {
  @Test func goMatchSyntax() {
    #expect(GlobPattern("templates/*.yaml").matches("templates/a.yaml"))
    #expect(!GlobPattern("templates/*.yaml").matches("templates/sub/a.yaml"))
    #expect(GlobPattern("a?c").matches("abc"))
    #expect(GlobPattern("[a-c]x").matches("bx"))
    #expect(!GlobPattern("[^a-c]x").matches("bx"))
  }

  @Test func extendedSyntaxForFilesGlob() {
    #expect(GlobPattern("files/**.sql", extended: true).matches("files/sql/schema.sql"))
    #expect(GlobPattern("{a,b}.txt", extended: true).matches("b.txt"))
    #expect(!GlobPattern("files/*.sql", extended: true).matches("files/sql/schema.sql"))
  }
}
