// Debian's zlib (zlib1g-dev): deflate with a gzip wrapper for image layers.
#include <zlib.h>
