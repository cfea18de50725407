import YAML

/// JSON text as Go's `json.Marshal` writes it: no spaces, map keys sorted, `<`, `>` and `&`
/// escaped as `\u003c` etc., floats in Go's form.
enum GoJSON {
  static func encode(_ value: JSONValue) -> String {
    JSONWriter(sortsKeys: true, escapesHTML: true).string(value)
  }
}
