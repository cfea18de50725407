import GoTemplate

/// Sprig's template functions (github.com/Masterminds/sprig/v3, v3.3 as Helm ships it), for
/// GoTemplate: `TemplateSet(functions: Sprig.functions)`.
///
/// The functions, grouped as in Sprig's documentation:
///
/// - Strings: `abbrev`, `abbrevboth`, `camelcase`, `cat`, `contains`, `hasPrefix`, `hasSuffix`,
///   `hello`, `indent`, `initials`, `kebabcase`, `lower`, `nindent`, `nospace`, `plural`,
///   `quote`, `randAlpha`, `randAlphaNum`, `randAscii`, `randNumeric`, `repeat`, `replace`,
///   `shuffle`, `snakecase`, `squote`, `substr`, `swapcase`, `title`, `toString`, `trim`,
///   `trimAll`, `trimall`, `trimPrefix`, `trimSuffix`, `trunc`, `untitle`, `upper`, `wrap`,
///   `wrapWith`
/// - String lists: `join`, `sortAlpha`, `split`, `splitList`, `splitn`, `toStrings`
/// - Integer lists: `until`, `untilStep`, `seq`
/// - Integer math (int64 via cast): `add`, `add1`, `sub`, `mul`, `div`, `mod`, `max`,
///   `biggest`, `min`, `randInt`; float math (decimal, as shopspring/decimal): `addf`, `add1f`,
///   `subf`, `mulf`, `divf`, `maxf`, `minf`, `ceil`, `floor`, `round`
/// - Conversions: `atoi`, `int`, `int64`, `float64`, `toDecimal`, `toString`, `toStrings`
/// - Defaults and flow: `default`, `empty`, `coalesce`, `all`, `any`, `compact`, `mustCompact`,
///   `ternary`, `fail`, `deepCopy`, `mustDeepCopy`
/// - JSON: `fromJson`, `mustFromJson`, `toJson`, `mustToJson`, `toPrettyJson`,
///   `mustToPrettyJson`, `toRawJson`, `mustToRawJson`
/// - Reflection: `typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs`, `deepEqual`
/// - Lists: `list`, `tuple`, `first`, `rest`, `last`, `initial`, `append`/`push`, `prepend`,
///   `concat`, `reverse`, `uniq`, `without`, `has`, `compact`, `slice`, `chunk`, and their
///   `must` forms
/// - Dictionaries: `dict`, `get`, `set`, `unset`, `hasKey`, `pluck`, `dig`, `keys`, `pick`,
///   `omit`, `values`, `merge`, `mustMerge`, `mergeOverwrite`, `mustMergeOverwrite`
/// - Dates: `now`, `date`, `dateInZone`/`date_in_zone`, `htmlDate`, `htmlDateInZone`,
///   `dateModify`/`date_modify`, `mustDateModify`/`must_date_modify`, `toDate`, `mustToDate`,
///   `unixEpoch`, `duration`, `durationRound`, `ago`
/// - Encoding and hashes: `b64enc`, `b64dec`, `b32enc`, `b32dec`, `sha1sum`, `sha256sum`,
///   `sha512sum`, `adler32sum`
/// - Regular expressions: `regexMatch`, `regexFind`, `regexFindAll`, `regexReplaceAll`,
///   `regexReplaceAllLiteral`, `regexSplit`, their `must` forms, `regexQuoteMeta`
/// - Semantic versions: `semver`, `semverCompare`
/// - Paths: `base`, `dir`, `clean`, `ext`, `isAbs` and the `os` forms (`osBase`, ...)
/// - URLs: `urlParse`, `urlJoin` (`urlquery` is Go's built-in)
/// - UUIDs and crypto: `uuidv4`, `randBytes`, `genPrivateKey` (rsa, ecdsa, ed25519),
///   `derivePassword`, `encryptAES`, `decryptAES`, `bcrypt`, `htpasswd` (bcrypt through the
///   system's libcrypt)
/// - Certificates: `genCA`, `genCAWithKey`, `genSelfSignedCert`, `genSelfSignedCertWithKey`,
///   `genSignedCert`, `genSignedCertWithKey`, `buildCustomCert` (without key identifier
///   extensions; see `CertificateFunctions`)
/// - Network: `getHostByName` (the system resolver; fails when a name does not resolve, e.g.
///   offline)
///
/// Not provided: `genPrivateKey "dsa"` fails (swift-crypto has no DSA). Helm removes `env` and
/// `expandenv`.
///
/// Nondeterministic by design: `now`, `ago`, `uuidv4`, `rand*`, `shuffle`, `genPrivateKey`,
/// `encryptAES`, `bcrypt`, `htpasswd`, the certificate functions, and `date` given a value that is not a time or integer (Sprig then formats the
/// current time).
///
/// Maps are references as in Go (`TemplateMap`): `set`, `unset`, `merge` and `mergeOverwrite`
/// change the map they are given (`$_ := set $d "k" "v"` changes `$d`, and a nested map merged
/// in stays shared with its source, as mergo leaves it), `deepCopy` makes new maps all the way
/// down, and `dict`, `pick` and `omit` make a new map holding the caller's values. Lists are
/// values, as Go slices are for these functions.
///
/// Known differences from Sprig on Go values, all from `TemplateValue` having fewer types
/// than Go:
/// - Go's int and int64 are one kind: `typeOf (add 1 2)` prints `int` (Go: `int64`),
///   `until`/`toStrings` give `[]interface {}` (Go: `[]int`, `[]string`), and `duration 95`
///   reads the integer as int64 seconds (Sprig ignores a plain `int` and prints `0s`).
/// - Strings are Unicode: `b64dec` of binary data replaces invalid UTF-8, and byte-based cuts
///   (`trunc`, `substr`, `abbrev`, `wrap`) inside a multi-byte character yield U+FFFD.
/// - Argument type errors come as `error calling NAME: wrong type for value; ...`; Go reports
///   them without the `error calling` prefix, and for literal constants words them differently.
/// - Regular expressions run on ICU (see `GoRegex`): `\d`, `\w`, `\b` and POSIX classes are
///   Unicode-aware, and compile errors do not name RE2's reason.
/// - `.Month` and `.Weekday` on times return names as strings.
public enum Sprig {
  /// Every Sprig function Helm keeps, by name: Sprig's `TxtFuncMap` without `env` and
  /// `expandenv`, which Helm deletes. Helm adds its own functions on top.
  public static let functions: [String: TemplateFunction] = {
    var table: [String: TemplateFunction] = [:]
    for group in [
      StringFunctions.functions, DefaultFunctions.functions, ListFunctions.functions,
      DictFunctions.functions, MathFunctions.functions, EncodingFunctions.functions,
      HashFunctions.functions,
      RandomFunctions.functions,
      RegexFunctions.functions, JSONFunctions.functions, PathFunctions.functions,
      URLFunctions.functions, ConversionFunctions.functions, SemverFunctions.functions,
      DateFunctions.functions, CryptoFunctions.functions, CertificateFunctions.functions,
    ] {
      table.merge(group) { _, new in new }
    }
    return table
  }()

  /// Sprig functions this module does not provide (none at present; `genPrivateKey "dsa"` is
  /// the one unsupported case of a provided function). A template calling a missing function
  /// fails to parse with `function "NAME" not defined`.
  public static let missingFunctions: [String] = []
}
