// SPDX-License-Identifier: GPL-2.0
/* The one place the tracepoints of mach_trace.h are instantiated. */

#define CREATE_TRACE_POINTS
#include "mach_trace.h"
