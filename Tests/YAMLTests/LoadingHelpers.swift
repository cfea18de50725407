import Testing
import YAML

/// Loads a stream both ways, straight to values and through node trees, checks that they agree,
/// and returns the values.
func loadBothWays(
  _ text: String, file: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
)
  throws -> [JSONValue]
{
  let direct = try YAML.load(text, file: file)
  let viaNodes = try YAMLParser.parseDocuments(text, file: file).map {
    try JSONValue(yaml: $0, file: file)
  }
  #expect(direct == viaNodes, sourceLocation: sourceLocation)
  return direct
}

/// The error a load raises, checking that both ways raise the same one.
func loadError(
  _ text: String, file: String? = "test.yaml", sourceLocation: SourceLocation = #_sourceLocation
)
  -> YAMLError?
{
  var direct: YAMLError?
  do { _ = try YAML.load(text, file: file) } catch { direct = error }
  var viaNodes: YAMLError?
  do {
    _ = try YAMLParser.parseDocuments(text, file: file).map { try JSONValue(yaml: $0, file: file) }
  } catch { viaNodes = error as? YAMLError }
  #expect(direct == viaNodes, sourceLocation: sourceLocation)
  return direct
}
