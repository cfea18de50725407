import ArgumentParser

/// The old spellings of renamed options. `tripgen` has one spelling per option in every verb:
/// `--repo PATH` is a local checkout, `--repo-url URL` a remote repository, `-o/--output` an output
/// format, `--revision` a branch, tag or commit, `--kubeconfig` and `--context` the cluster. An old
/// spelling is a second, hidden option of the command for one more release: the command takes its
/// value when the new spelling is not given, and `check` (from `validate()`) refuses both at once
/// and says on standard error which spelling to use.
enum OldSpelling {
  /// Throws when the option was given under both spellings; when only the old one was given,
  /// prints a one-line deprecation note on standard error.
  static func check(_ old: String, given oldGiven: Bool, new: String, newGiven: Bool) throws {
    guard oldGiven else { return }
    if newGiven { throw ValidationError("\(old) is the old spelling of \(new): give only \(new)") }
    standardError(note(old, new: new))
  }

  /// `note: --repository is deprecated (removed in the next release): use --repo`.
  static func note(_ old: String, new: String) -> String {
    "note: \(old) is deprecated (removed in the next release): use \(new)"
  }
}
