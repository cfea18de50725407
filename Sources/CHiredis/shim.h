// hiredis, Debian's libhiredis-dev: the Redis project's own minimal C client (see ServiceKit/Redis).
#include <hiredis/hiredis.h>
