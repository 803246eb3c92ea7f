/* wedge/wedge.h - everything: include this to use the library. */
#ifndef WEDGE_WEDGE_H
#define WEDGE_WEDGE_H

#define WDG_VERSION "0.1.0"

#include "wedge/analysis.h"
#include "wedge/buf.h"
#include "wedge/error.h"
#include "wedge/load.h"
#include "wedge/outfile.h"
#include "wedge/ops.h"
#include "wedge/report.h"
#include "wedge/sim.h"
#include "wedge/symbols.h"
#include "wedge/template.h"
#include "wedge/trace.h"
#include "wedge/utf8.h"

#endif
