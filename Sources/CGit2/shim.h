#include <git2.h>
#include <stddef.h>

// Typed wrappers for libgit2's variadic calls, which Swift cannot import.

/// Sets the CA certificate file and/or directory that HTTPS transports trust (process-wide).
static inline int tripgen_git_set_ssl_cert_locations(const char *file, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}

/// Sets a configuration search path level (system, global, XDG, program data) to `path`; NULL resets it.
static inline int tripgen_git_set_search_path(git_config_level_t level, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, (int)level, path);
}
