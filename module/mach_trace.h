/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of mach.ko, under events/mach/ in tracefs (usable from
 * perf trace, trace-cmd and bpftrace).  Ports are shown as hashed pointers
 * (%p), stable for a port's life and the same in every process, without
 * revealing kernel addresses.  Processes are shown by their global tgid.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mach

#if !defined(_MACH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MACH_TRACE_H

#include <linux/tracepoint.h>

/* A message was queued on a port (by a process, or by the kernel). */
TRACE_EVENT(mach_msg_send,
	    TP_PROTO(const void *port, u32 bits, u32 size, s32 id, u32 ndesc),
	    TP_ARGS(port, bits, size, id, ndesc),
	    TP_STRUCT__entry(__field(const void *, port)
			     __field(u32, bits)
			     __field(u32, size)
			     __field(s32, id)
			     __field(u32, ndesc)),
	    TP_fast_assign(__entry->port = port;
			   __entry->bits = bits;
			   __entry->size = size;
			   __entry->id = id;
			   __entry->ndesc = ndesc;),
	    TP_printk("port=%p id=%d size=%u bits=0x%x ndesc=%u",
		      __entry->port, __entry->id, __entry->size, __entry->bits,
		      __entry->ndesc)
);

/* A message was dequeued and copied out to the receiver. */
TRACE_EVENT(mach_msg_receive,
	    TP_PROTO(const void *port, s32 id, u32 size, u32 seqno),
	    TP_ARGS(port, id, size, seqno),
	    TP_STRUCT__entry(__field(const void *, port)
			     __field(s32, id)
			     __field(u32, size)
			     __field(u32, seqno)),
	    TP_fast_assign(__entry->port = port;
			   __entry->id = id;
			   __entry->size = size;
			   __entry->seqno = seqno;),
	    TP_printk("port=%p id=%d size=%u seqno=%u",
		      __entry->port, __entry->id, __entry->size, __entry->seqno)
);

/* mach_msg failed with a Mach return code. */
TRACE_EVENT(mach_msg_fail,
	    TP_PROTO(u32 option, u32 name, int ret),
	    TP_ARGS(option, name, ret),
	    TP_STRUCT__entry(__field(u32, option)
			     __field(u32, name)
			     __field(int, ret)),
	    TP_fast_assign(__entry->option = option;
			   __entry->name = name;
			   __entry->ret = ret;),
	    TP_printk("option=0x%x name=0x%x ret=0x%x",
		      __entry->option, __entry->name, __entry->ret)
);

DECLARE_EVENT_CLASS(mach_port_class,
		    TP_PROTO(const void *port),
		    TP_ARGS(port),
		    TP_STRUCT__entry(__field(const void *, port)),
		    TP_fast_assign(__entry->port = port;),
		    TP_printk("port=%p",
			      __entry->port)
);

/* A port object was created. */
DEFINE_EVENT(mach_port_class, mach_port_create,
	     TP_PROTO(const void *port),
	     TP_ARGS(port)
);

/* A port died: its receive right was destroyed. */
DEFINE_EVENT(mach_port_class, mach_port_destroy,
	     TP_PROTO(const void *port),
	     TP_ARGS(port)
);

/* The kernel sent a notification (MACH_NOTIFY_* id) to a port. */
TRACE_EVENT(mach_notify,
	    TP_PROTO(const void *port, s32 id),
	    TP_ARGS(port, id),
	    TP_STRUCT__entry(__field(const void *, port)
			     __field(s32, id)),
	    TP_fast_assign(__entry->port = port;
			   __entry->id = id;),
	    TP_printk("port=%p id=%d",
		      __entry->port, __entry->id)
);

#endif /* _MACH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mach_trace
#include <trace/define_trace.h>
