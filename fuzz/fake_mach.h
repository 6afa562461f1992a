/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_mach.h - just enough of a Mach task for the libFuzzer harnesses to
 * run libmach's and machd's message code on buffers, without /dev/mach.
 *
 * The harnesses link the real sources under test (libmach's
 * msg_destroy.c, msg_server.c, bootstrap.c, mig.c, error.c and machd's
 * serve.c, registry.c) with this file, which answers the port routines
 * from a small name table and hands mach_msg() to the harness.  It also
 * keeps the ledger the harnesses judge by: how many times each name was
 * released and which memory was given back.
 */
#ifndef FAKE_MACH_H
#define FAKE_MACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mach/mach.h>

#define FAKE_SELF	((mach_port_t)0x103)	/* mach_task_self() */
#define FAKE_NAMES	512

struct fake_name {
	mach_port_name_t name;
	mach_port_type_t type;	/* MACH_PORT_TYPE_* bits */
	int urefs;		/* send or dead-name references */
	int released;		/* references the code under test gave up */
	int made;		/* rights made from a receive right (insert/extract) */
	int acquired;		/* references and receive rights the task was given */
	bool gone;		/* sent away: giving it up now is a bug */
};

/* Forget every name and region; then only FAKE_SELF exists (a send right). */
void fake_reset(void);
/* Give the task 'urefs' more of a right (type bits) under 'name'. */
struct fake_name *fake_add(mach_port_name_t name, mach_port_type_t type, int urefs);
/* The name's entry while it names a right (fake_find), or ever (fake_entry). */
struct fake_name *fake_find(mach_port_name_t name);
struct fake_name *fake_entry(mach_port_name_t name);
/* Fail if any name was given up more often than the task was given it. */
void fake_check_ledger(void);
/* Memory the code under test may give back with vm_deallocate. */
void fake_region_add(const void *addr, size_t size);
/* The harness freed it: no longer the message's. */
void fake_region_del(const void *addr);
/* Was [addr, addr+size) inside one region?  (Checked on every deallocate.) */
unsigned int fake_regions_freed(void);

/* Stop the run: the code under test broke a rule.  Never returns. */
void fake_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* The harness's mach_msg_overwrite (mach_msg calls it with rcv_msg == msg). */
typedef mach_msg_return_t (*fake_msg_fn)(mach_msg_header_t *msg, mach_msg_option_t option,
					 mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					 mach_port_name_t rcv_name, mach_msg_header_t *rcv_msg);
extern fake_msg_fn fake_msg;

/* The reply port mig_get_reply_port() hands out, and what became of it. */
#define FAKE_REPLY_PORT	((mach_port_t)0x7703)
extern int fake_reply_put, fake_reply_dealloc;

#endif /* FAKE_MACH_H */
