import Testing

/// The tests that need PostgreSQL (and Redis): one PostgreSQL server for all of them, started by the
/// `.backends` trait; the suites are nested in extensions of this type, one file each.
@Suite(.backends) struct ServiceTests {}
