/* version.c - the library's version, as compiled into it. */
#include "wedge/api.h"

const char *wdg_version(void)
{
    return WDG_VERSION_STRING;
}
