import GoTemplate

/// Sprig's template functions (github.com/Masterminds/sprig/v3, v3.3 as Helm ships it), for
/// GoTemplate: `TemplateSet(functions: Sprig.functions)`.
public enum Sprig {
  /// Every Sprig function Helm keeps, by name: Sprig's `TxtFuncMap` without `env` and
  /// `expandenv`, which Helm deletes. Helm adds its own functions on top.
  public static let functions: [String: TemplateFunction] = {
    var table: [String: TemplateFunction] = [:]
    for group in [
      StringFunctions.functions, DefaultFunctions.functions, ListFunctions.functions,
      DictFunctions.functions, MathFunctions.functions, EncodingFunctions.functions,
      RegexFunctions.functions, JSONFunctions.functions, PathFunctions.functions,
      URLFunctions.functions, ConversionFunctions.functions, SemverFunctions.functions,
      DateFunctions.functions,
    ] {
      table.merge(group) { _, new in new }
    }
    return table
  }()
}
