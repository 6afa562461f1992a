// SPDX-License-Identifier: GPL-2.0
/*
 * Exports, proxies and the translation of single rights (rights.h).
 *
 * Count rule (no premature no-senders): the owner adds 1 to count[P] for
 * every reference it sends P; P counts what it received (held) and, when
 * its proxy has no senders left, returns them all in one RELEASE.  A host B
 * forwarding (A,id) to C first sends TRANSFER(id, C, 1) to A on the B->A
 * connection, so it reaches A before any later RELEASE from B.  A drops
 * its right only when every count is exactly zero.
 */
#include <stdlib.h>
#include <string.h>

#include <mach_debug/ipc_info.h>

#include "log.h"
#include "machnetd.h"
#include "peer.h"
#include "rights.h"
#include "watch.h"

static struct hmap exports_by_id;	/* id -> struct export * */
static struct hmap exports_by_name;	/* send-right name -> struct export * */
static struct hmap proxies_by_name;	/* receive-right name -> struct proxy * */
static uint64_t next_id = 1;

void rights_init(void)
{
	hmap_init(&exports_by_id);
	hmap_init(&exports_by_name);
	hmap_init(&proxies_by_name);
}

/* ---- frames about references ---- */

static void send_ref(struct peer *p, uint16_t type, uint64_t id, uint32_t n,
		     const char *name)
{
	struct wbuf *b = peer_tx(p);
	size_t s;

	if (b == NULL)
		return;
	s = wire_begin(b, type, peer_next_seq(p));
	wbuf_u64(b, id);
	if (type == WIRE_RELEASE || type == WIRE_TRANSFER)
		wbuf_u32(b, n);
	if (type == WIRE_TRANSFER)
		wbuf_name(b, name);
	wire_end(b, s);
	peer_flush(p);
}

/* ---- exports (owner side) ---- */

static struct export *export_get(uint64_t id)
{
	uint64_t v;

	return hmap_get(&exports_by_id, id, &v) ? (struct export *)(uintptr_t)v : NULL;
}

static void export_remove(struct export *e)
{
	hmap_del(&exports_by_id, e->id);
	if (!e->sonce)
		hmap_del(&exports_by_name, e->name);
	counts_free(&e->counts);
	free(e);
}

/* Nobody remote holds it any more: give our send right back. */
static void export_maybe_drop(struct export *e)
{
	if (e->sonce || !counts_all_zero(&e->counts))
		return;
	logmsg(LOG_DEBUG, "export %llu (0x%x): no remote holders", (unsigned long long)e->id,
	       e->name);
	watch_drop(e->name);
	(void)mach_port_deallocate(mach_task_self(), e->name);
	export_remove(e);
}

static struct export *export_new(mach_port_t name, bool sonce)
{
	struct export *e = calloc(1, sizeof(*e));

	if (e == NULL || (!sonce && !counts_init(&e->counts, npeers))) {
		free(e);
		return NULL;
	}
	e->id = next_id++;
	e->name = name;
	e->sonce = sonce;
	if (!hmap_put(&exports_by_id, e->id, (uintptr_t)e) ||
	    (!sonce && !hmap_put(&exports_by_name, name, (uintptr_t)e))) {
		hmap_del(&exports_by_id, e->id);
		counts_free(&e->counts);
		free(e);
		return NULL;
	}
	return e;
}

static bool has_send(mach_port_t name)
{
	mach_port_type_t t = 0;

	return mach_port_type(mach_task_self(), name, &t) == KERN_SUCCESS &&
	       (t & MACH_PORT_TYPE_SEND);
}

/* A send right to a local port goes to p as (us, id). */
static void export_send(struct peer *p, struct wbuf *b, mach_port_t name)
{
	uint64_t v;
	struct export *e;

	if (hmap_get(&exports_by_name, name, &v)) {
		e = (struct export *)(uintptr_t)v;
		(void)mach_port_deallocate(mach_task_self(), name);	/* one uref is enough */
	} else {
		if (!watch_add(name) && !has_send(name)) {
			(void)mach_port_deallocate(mach_task_self(), name);
			wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
			return;
		}
		e = export_new(name, false);
		if (e == NULL) {
			watch_drop(name);
			(void)mach_port_deallocate(mach_task_self(), name);
			wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
			return;
		}
	}
	counts_add(&e->counts, p->idx, 1);
	wbuf_right(b, WIRE_SEND, WIRE_OWNER_SENDER, NULL, e->id);
}

/* ---- proxies (importer side) ---- */

struct proxy *proxy_by_name(mach_port_t name)
{
	uint64_t v;

	return hmap_get(&proxies_by_name, name, &v) ? (struct proxy *)(uintptr_t)v : NULL;
}

static struct proxy *proxy_find(struct peer *owner, uint64_t id)
{
	uint64_t v;

	return hmap_get(&owner->proxies, id, &v) ? (struct proxy *)(uintptr_t)v : NULL;
}

static struct proxy *proxy_new(struct peer *owner, uint64_t id, bool sonce,
			       const char **reason)
{
	struct proxy *px;
	mach_port_t prev = MACH_PORT_NULL;
	kern_return_t kr;

	if (owner->nproxies >= cfg.max_proxies_per_peer) {
		*reason = "max_proxies_per_peer reached";
		return NULL;
	}
	px = calloc(1, sizeof(*px));
	if (px == NULL) {
		*reason = "out of memory for a proxy";
		return NULL;
	}
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &px->name);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), px->name, port_set);
	/* Armed with sync 1: it fires once the first send right made is gone. */
	if (kr == KERN_SUCCESS && !sonce)
		kr = mach_port_request_notification(mach_task_self(), px->name,
						    MACH_NOTIFY_NO_SENDERS, 1, px->name,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	if (kr != KERN_SUCCESS ||
	    !hmap_put(&proxies_by_name, px->name, (uintptr_t)px) ||
	    (!sonce && !hmap_put(&owner->proxies, id, (uintptr_t)px))) {
		logmsg(LOG_ERR, "cannot make a proxy: %s", mach_error_string(kr));
		if (MACH_PORT_VALID(px->name)) {
			hmap_del(&proxies_by_name, px->name);
			(void)mach_port_mod_refs(mach_task_self(), px->name,
						 MACH_PORT_RIGHT_RECEIVE, -1);
		}
		free(px);
		*reason = "cannot make a proxy";
		return NULL;
	}
	px->owner = owner;
	px->id = id;
	px->sonce = sonce;
	owner->nproxies++;
	return px;
}

void proxy_destroy(struct proxy *px)
{
	hmap_del(&proxies_by_name, px->name);
	if (!px->sonce)
		hmap_del(&px->owner->proxies, px->id);
	px->owner->nproxies--;
	(void)mach_port_mod_refs(mach_task_self(), px->name, MACH_PORT_RIGHT_RECEIVE, -1);
	free(px);
}

void proxy_no_senders(struct proxy *px, mach_port_mscount_t mscount)
{
	mach_port_t prev = MACH_PORT_NULL;

	if (mscount < px->mscount) {
		/* Rights were made after this was generated: ask again. */
		if (mach_port_request_notification(mach_task_self(), px->name,
						   MACH_NOTIFY_NO_SENDERS, px->mscount, px->name,
						   MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) ==
		    KERN_SUCCESS && MACH_PORT_VALID(prev))
			(void)mach_port_deallocate(mach_task_self(), prev);
		return;
	}
	logmsg(LOG_DEBUG, "proxy (%s,%llu): no senders, releasing %u", px->owner->name,
	       (unsigned long long)px->id, px->held);
	if (px->held)
		send_ref(px->owner, WIRE_RELEASE, px->id, px->held, NULL);
	proxy_destroy(px);
}

void proxy_sonce_destroyed(struct proxy *px)
{
	send_ref(px->owner, WIRE_SONCE_DESTROYED, px->id, 0, NULL);
	proxy_destroy(px);
}

/* ---- encoding one right ---- */

static void put_owner(struct wbuf *b, uint8_t kind, struct peer *to, struct peer *owner,
		      uint64_t id)
{
	if (owner == to)
		wbuf_right(b, kind, WIRE_OWNER_RECEIVER, NULL, id);
	else
		wbuf_right(b, kind, WIRE_OWNER_NAMED, owner->name, id);
}

void encode_right(struct peer *p, struct wbuf *b, mach_port_t name, mach_msg_type_name_t type)
{
	struct proxy *px;
	struct export *e;

	if (name == MACH_PORT_NULL) {
		wbuf_right(b, WIRE_NULL, 0, NULL, 0);
		return;
	}
	if (name == MACH_PORT_DEAD) {
		wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
		return;
	}
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		px = proxy_by_name(name);
		if (px && !px->sonce) {
			/* A right to a remote port goes back out under its own identity. */
			put_owner(b, WIRE_SEND, p, px->owner, px->id);
			if (px->owner != p)
				send_ref(px->owner, WIRE_TRANSFER, px->id, 1, p->name);
			(void)mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, -1);
			return;
		}
		export_send(p, b, name);
		return;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		e = export_new(name, true);
		if (e == NULL) {
			(void)mach_port_deallocate(mach_task_self(), name);
			wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
			return;
		}
		e->holder = p->idx;
		wbuf_right(b, WIRE_SEND_ONCE, WIRE_OWNER_SENDER, NULL, e->id);
		return;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		/* Migration of receive rights is not implemented: the receiver gets a dead name. */
		logmsg(LOG_WARNING, "a receive right cannot cross hosts yet: destroyed");
		(void)mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
		wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
		return;
	default:
		(void)mach_port_deallocate(mach_task_self(), name);
		wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
		return;
	}
}

/* ---- decoding one right ---- */

/* Whose right is it?  *me for ours; NULL owner (and !*me) for a host we do not know. */
static struct peer *owner_of(struct peer *from, const struct wire_right *r, bool *me)
{
	*me = false;
	switch (r->owner) {
	case WIRE_OWNER_SENDER:
		return from;
	case WIRE_OWNER_RECEIVER:
		*me = true;
		return NULL;
	default:
		if (r->name_len == strlen(cfg.name) && memcmp(r->name, cfg.name, r->name_len) == 0) {
			*me = true;
			return NULL;
		}
		return peer_by_name(r->name, r->name_len);
	}
}

static void dead(mach_port_t *name, mach_msg_type_name_t *type)
{
	*name = MACH_PORT_DEAD;
	*type = MACH_MSG_TYPE_MOVE_SEND;
}

/* An id of ours that no longer exists is a race (it died, or was used); a future one is a lie. */
static bool unknown_id(uint64_t id, mach_port_t *name, mach_msg_type_name_t *type,
		       const char **reason)
{
	if (id >= next_id) {
		*reason = "unknown port id";
		return false;
	}
	dead(name, type);
	return true;
}

static bool decode_ours(const struct wire_right *r, mach_port_t *name,
			mach_msg_type_name_t *type, const char **reason)
{
	struct export *e = export_get(r->id);

	if (e == NULL)
		return unknown_id(r->id, name, type, reason);
	if (r->kind == WIRE_SEND_ONCE) {
		if (!e->sonce) {
			*reason = "send-once id names a send right";
			return false;
		}
		*name = e->name;
		*type = MACH_MSG_TYPE_MOVE_SEND_ONCE;
		export_remove(e);	/* used once */
		return true;
	}
	if (e->sonce) {
		*reason = "send id names a send-once right";
		return false;
	}
	if (mach_port_mod_refs(mach_task_self(), e->name, MACH_PORT_RIGHT_SEND, 1) !=
	    KERN_SUCCESS) {
		dead(name, type);	/* died; the dead-name notification is on its way */
		return true;
	}
	*name = e->name;
	*type = MACH_MSG_TYPE_MOVE_SEND;
	return true;
}

bool decode_right(struct peer *p, const struct wire_right *r, mach_port_t *name,
		  mach_msg_type_name_t *type, const char **reason)
{
	struct peer *owner;
	struct proxy *px;
	bool me;

	*type = 0;
	*name = MACH_PORT_NULL;
	switch (r->kind) {
	case WIRE_NULL:
		*type = MACH_MSG_TYPE_MOVE_SEND;
		return true;
	case WIRE_DEAD_NAME:
		dead(name, type);
		return true;
	case WIRE_RECEIVE:
		/* We never send these (no migration yet); a peer that does gets a dead name. */
		dead(name, type);
		return true;
	default:
		break;
	}
	owner = owner_of(p, r, &me);
	if (me)
		return decode_ours(r, name, type, reason);
	if (owner == NULL || !owner->up) {
		dead(name, type);	/* a host we cannot reach: as good as dead */
		return true;
	}
	if (r->kind == WIRE_SEND_ONCE) {
		mach_port_t so = MACH_PORT_NULL;
		mach_msg_type_name_t got;

		px = proxy_new(owner, r->id, true, reason);
		if (px == NULL)
			return false;
		if (mach_port_extract_right(mach_task_self(), px->name,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &got) !=
		    KERN_SUCCESS) {
			proxy_destroy(px);
			dead(name, type);
			return true;
		}
		*name = so;
		*type = MACH_MSG_TYPE_MOVE_SEND_ONCE;
		return true;
	}
	px = proxy_find(owner, r->id);
	if (px == NULL) {
		px = proxy_new(owner, r->id, false, reason);
		if (px == NULL)
			return false;
	}
	px->held++;
	if (mach_port_insert_right(mach_task_self(), px->name, px->name,
				   MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS) {
		dead(name, type);
		return true;
	}
	px->mscount++;
	*name = px->name;
	*type = MACH_MSG_TYPE_MOVE_SEND;
	return true;
}

bool decode_dest(struct peer *p, const struct wire_right *r, mach_port_t *name,
		 mach_msg_type_name_t *type, const char **reason)
{
	(void)p;
	/* The decoder checked: SEND or SEND_ONCE, owned by us. */
	return decode_ours(r, name, type, reason);
}

/* ---- frames ---- */

bool rights_frame(struct peer *p, const struct wire_frame *f, const char **reason)
{
	struct export *e = export_get(f->u.ref.id);
	struct proxy *px;
	struct peer *to;

	switch (f->type) {
	case WIRE_RELEASE:
		if (e == NULL) {
			if (f->u.ref.id >= next_id) {
				*reason = "RELEASE of an unknown id";
				return false;
			}
			return true;	/* it died meanwhile */
		}
		if (e->sonce) {
			*reason = "RELEASE of a send-once id";
			return false;
		}
		counts_add(&e->counts, p->idx, -(int64_t)f->u.ref.n);
		export_maybe_drop(e);
		return true;
	case WIRE_TRANSFER:
		to = peer_by_name(f->u.ref.name, f->u.ref.name_len);
		if (to == p || (f->u.ref.name_len == strlen(cfg.name) &&
				memcmp(f->u.ref.name, cfg.name, f->u.ref.name_len) == 0)) {
			*reason = "TRANSFER to the sender or to the owner";
			return false;
		}
		if (e == NULL) {
			if (f->u.ref.id >= next_id) {
				*reason = "TRANSFER of an unknown id";
				return false;
			}
			return true;
		}
		if (e->sonce) {
			*reason = "TRANSFER of a send-once id";
			return false;
		}
		/* A host we are not connected to cannot hold a proxy of ours. */
		if (to && to->up)
			counts_add(&e->counts, to->idx, (int64_t)f->u.ref.n);
		return true;
	case WIRE_DEAD:
		px = proxy_find(p, f->u.ref.id);
		if (px) {
			logmsg(LOG_DEBUG, "proxy (%s,%llu): port died", p->name,
			       (unsigned long long)f->u.ref.id);
			proxy_destroy(px);
		}
		return true;
	case WIRE_SONCE_DESTROYED:
		if (e == NULL) {
			if (f->u.ref.id >= next_id) {
				*reason = "SONCE_DESTROYED of an unknown id";
				return false;
			}
			return true;
		}
		if (!e->sonce) {
			*reason = "SONCE_DESTROYED of a send id";
			return false;
		}
		/* Destroying it sends the port its send-once notification. */
		(void)mach_port_deallocate(mach_task_self(), e->name);
		export_remove(e);
		return true;
	default:
		*reason = "receive-right migration frames are not supported";
		return false;
	}
}

void rights_port_died(mach_port_t name)
{
	uint64_t v;
	struct export *e;

	if (!hmap_get(&exports_by_name, name, &v))
		return;
	e = (struct export *)(uintptr_t)v;
	for (unsigned int i = 0; i < npeers; i++)
		if (counts_get(&e->counts, i) != 0)
			send_ref(&peers[i], WIRE_DEAD, e->id, 0, NULL);
	logmsg(LOG_DEBUG, "export %llu died", (unsigned long long)e->id);
	(void)mach_port_deallocate(mach_task_self(), e->name);	/* our dead-name uref */
	export_remove(e);
}

void rights_peer_down(struct peer *p)
{
	uint64_t k, v;
	unsigned int proxies = 0, sonce = 0;

	/* Its proxies die: local senders get dead names, waiting replies return. */
	for (size_t pos = 0; hmap_next(&proxies_by_name, &pos, &k, &v);) {
		struct proxy *px = (struct proxy *)(uintptr_t)v;

		if (px->owner == p) {
			proxy_destroy(px);
			proxies++;
		}
	}
	/* Its references are gone; the send-once rights it held are destroyed. */
	for (size_t pos = 0; hmap_next(&exports_by_id, &pos, &k, &v);) {
		struct export *e = (struct export *)(uintptr_t)v;

		if (e->sonce) {
			if (e->holder == p->idx) {
				(void)mach_port_deallocate(mach_task_self(), e->name);
				export_remove(e);
				sonce++;
			}
			continue;
		}
		counts_zero(&e->counts, p->idx);
		export_maybe_drop(e);
	}
	logmsg(LOG_INFO, "peer %s down: %u proxies destroyed, %u reply rights destroyed",
	       p->name, proxies, sonce);
}

const char *rights_owner_of_object(natural_t object)
{
	ipc_info_space_t space;
	ipc_info_name_array_t table = NULL;
	ipc_info_tree_name_array_t tree = NULL;
	mach_msg_type_number_t ntable = 0, ntree = 0;
	const char *owner = cfg.name;

	if (mach_port_space_info(mach_task_self(), &space, &table, &ntable, &tree, &ntree) !=
	    KERN_SUCCESS)
		return owner;
	for (mach_msg_type_number_t i = 0; i < ntable; i++) {
		struct proxy *px;

		if (table[i].iin_object != object || !(table[i].iin_type & MACH_PORT_TYPE_RECEIVE))
			continue;
		px = proxy_by_name(table[i].iin_name);
		if (px)
			owner = px->owner->name;
		break;
	}
	if (table)
		(void)vm_deallocate(mach_task_self(), (vm_address_t)table, ntable * sizeof(*table));
	if (tree)
		(void)vm_deallocate(mach_task_self(), (vm_address_t)tree, ntree * sizeof(*tree));
	return owner;
}

void rights_exit(void)
{
	uint64_t k, v;

	for (size_t pos = 0; hmap_next(&proxies_by_name, &pos, &k, &v);)
		proxy_destroy((struct proxy *)(uintptr_t)v);
	for (size_t pos = 0; hmap_next(&exports_by_id, &pos, &k, &v);) {
		struct export *e = (struct export *)(uintptr_t)v;

		if (!e->sonce)
			watch_drop(e->name);
		(void)mach_port_deallocate(mach_task_self(), e->name);
		export_remove(e);
	}
	hmap_free(&exports_by_id);
	hmap_free(&exports_by_name);
	hmap_free(&proxies_by_name);
}
