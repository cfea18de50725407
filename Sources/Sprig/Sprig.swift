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
      DateFunctions.functions, CryptoFunctions.functions,
    ] {
      table.merge(group) { _, new in new }
    }
    return table
  }()

  /// Sprig functions this module does not provide: the certificate generators (they need an
  /// X.509 encoder), `bcrypt` and `htpasswd` (swift-crypto has no bcrypt). Templates that call
  /// them fail to parse with `function "NAME" not defined`.
  public static let missingFunctions: [String] = [
    "bcrypt", "htpasswd", "buildCustomCert", "genCA", "genCAWithKey", "genSelfSignedCert",
    "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey",
  ]
}
