/* wedge/wedge.h - everything: include this to use the library.
 * Every public header is included here; each is also usable alone. */
#ifndef WEDGE_WEDGE_H
#define WEDGE_WEDGE_H

#include "wedge/api.h"

/* the version string the command line prints (WDG_VERSION_STRING) */
#define WDG_VERSION WDG_VERSION_STRING

#include "wedge/analysis.h"
#include "wedge/bootdelta.h"
#include "wedge/critpath.h"
#include "wedge/buf.h"
#include "wedge/diagnosis.h"
#include "wedge/diff.h"
#include "wedge/error.h"
#include "wedge/load.h"
#include "wedge/ops.h"
#include "wedge/outfile.h"
#include "wedge/report.h"
#include "wedge/symbols.h"
#include "wedge/template.h"
#include "wedge/trace.h"
#include "wedge/utf8.h"
#include "wedge/writer.h"

#endif
