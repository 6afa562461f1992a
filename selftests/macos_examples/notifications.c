/* Dead-name, no-senders, port-destroyed, send-once and port-deleted notifications. */
#include <mach/mach.h>
#include <mach/notify.h>
#include <mach/mach_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

union notification {
	mach_msg_header_t head;
	mach_dead_name_notification_t dead;
	mach_no_senders_notification_t nosenders;
	mach_port_destroyed_notification_t destroyed;
	mach_send_once_notification_t sendonce;
	mach_port_deleted_notification_t deleted;
	char buf[256];
};

static void receive(mach_port_t port, union notification *n)
{
	memset(n, 0, sizeof *n);
	KR(mach_msg(&n->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof *n, port, 5000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
}

#define expect_empty(port) expect_empty_at(port, __LINE__)
static void expect_empty_at(mach_port_t port, int line)
{
	union notification n;
	kern_return_t kr = mach_msg(&n.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof n, port, 0, MACH_PORT_NULL);
	if (kr != MACH_RCV_TIMED_OUT) {
		fprintf(stderr, "FAIL line %d: unexpected message, kr 0x%x id %d\n", line, kr, n.head.msgh_id);
		exit(1);
	}
}

int main(void)
{
	mach_port_t task = mach_task_self(), notify, prev;
	mach_port_urefs_t u;
	mach_port_type_t t;
	union notification n;

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &notify), KERN_SUCCESS);

	/* --- a request on a name that also holds the receive right --- */
	{
		mach_port_t rcv, snd;
		mach_msg_type_name_t ty;
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &rcv), KERN_SUCCESS);
		/* extract a send right: it comes back under the same name (one name per port) */
		KR(mach_port_extract_right(task, rcv, MACH_MSG_TYPE_MAKE_SEND, &snd, &ty), KERN_SUCCESS);
		CHECK(ty == MACH_MSG_TYPE_PORT_SEND);
		KR(mach_port_insert_right(task, rcv, snd, MACH_MSG_TYPE_MOVE_SEND), KERN_SUCCESS);
		KR(mach_port_get_refs(task, rcv, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
		CHECK(u == 1);
		/* a dead-name request on a name that has the receive right is accepted (XNU) */
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_DEAD_NAME, 0, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		CHECK(prev == MACH_PORT_NULL);
		KR(mach_port_type(task, rcv, &t), KERN_SUCCESS);
		CHECK(t == (MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST));
		mach_port_destroy(task, rcv);
		/* the name went away with its request: a port-deleted notification */
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_PORT_DELETED);
		CHECK(n.deleted.not_port == rcv);
		expect_empty(notify);
	}
	/* --- no-senders, send-once, port-destroyed and dead-name on one port --- */
	{
		mach_port_t rcv;
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t p;
		} m;
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t p;
			mach_msg_trailer_t t;
		} r;
		mach_port_t carrier, holder;
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &rcv), KERN_SUCCESS);
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &carrier), KERN_SUCCESS);
		KR(mach_port_insert_right(task, carrier, carrier, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
		/* 'holder' will later hold rcv's receive right in its queue */
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &holder), KERN_SUCCESS);
		memset(&m, 0, sizeof m);
		m.h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
		m.h.msgh_size = sizeof m;
		m.h.msgh_remote_port = carrier;
		m.b.msgh_descriptor_count = 1;
		m.p.name = rcv;
		m.p.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.p.type = MACH_MSG_PORT_DESCRIPTOR;
		KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		KR(mach_msg(&r.h, MACH_RCV_MSG, 0, sizeof r, carrier, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(r.h.msgh_bits & MACH_MSGH_BITS_COMPLEX);
		CHECK(r.b.msgh_descriptor_count == 1);
		CHECK(r.p.name == rcv); /* same port, same name in our space */
		CHECK(r.p.disposition == MACH_MSG_TYPE_PORT_SEND);
		KR(mach_port_get_refs(task, rcv, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
		CHECK(u == 1);

		/* no-senders: armed with sync 0 */
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_NO_SENDERS, 0, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		CHECK(prev == MACH_PORT_NULL);
		KR(mach_port_type(task, rcv, &t), KERN_SUCCESS);
		CHECK((t & MACH_PORT_TYPE_SEND_RECEIVE) == MACH_PORT_TYPE_SEND_RECEIVE);
		expect_empty(notify);
		KR(mach_port_deallocate(task, rcv), KERN_SUCCESS);
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_NO_SENDERS);
		CHECK(n.head.msgh_size == sizeof(mach_no_senders_notification_t) - sizeof(mach_msg_format_0_trailer_t));
		CHECK(n.nosenders.not_count == 1);
		CHECK(MACH_MSGH_BITS_LOCAL(n.head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE);
		CHECK(MACH_MSGH_BITS_REMOTE(n.head.msgh_bits) == 0);
		CHECK(n.head.msgh_local_port == notify);
		CHECK(!(n.head.msgh_bits & MACH_MSGH_BITS_COMPLEX));

		/* no-senders with sync > mscount: XNU compares sync with the make-send count
		 * only when the request is made (to fire at once); once armed, the
		 * notification goes out the next time the send rights drop to zero */
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_NO_SENDERS, 3, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		expect_empty(notify);
		KR(mach_port_insert_right(task, rcv, rcv, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS); /* mscount 2 */
		expect_empty(notify);
		KR(mach_port_deallocate(task, rcv), KERN_SUCCESS);
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_NO_SENDERS);
		CHECK(n.nosenders.not_count == 2);

		/* no-senders request when there are already none and sync <= mscount: immediate */
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_NO_SENDERS, 2, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_NO_SENDERS);
		CHECK(n.nosenders.not_count == 2);

		/* re-arming returns the previous send-once right */
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_NO_SENDERS, 100, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		CHECK(prev == MACH_PORT_NULL);
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_NO_SENDERS, 100, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		CHECK(MACH_PORT_VALID(prev));
		KR(mach_port_type(task, prev, &t), KERN_SUCCESS);
		CHECK(t & MACH_PORT_TYPE_SEND_ONCE);
		/* cancel */
		{
			mach_port_t prev2;
			KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL,
				MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev2), KERN_SUCCESS);
			CHECK(MACH_PORT_VALID(prev2));
			mach_port_deallocate(task, prev2);
		}
		/* deallocating the send-once right 'prev' sends a send-once notification to notify */
		KR(mach_port_deallocate(task, prev), KERN_SUCCESS);
		receive(notify, &n);
		/* the first one is from prev, the second from prev2; both MACH_NOTIFY_SEND_ONCE */
		CHECK(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
		CHECK(n.head.msgh_size == sizeof(mach_msg_header_t));
		expect_empty(notify);

		/* port-destroyed: the receive right comes back when it would be destroyed */
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_PORT_DESTROYED, 0, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		CHECK(prev == MACH_PORT_NULL);
		KR(mach_port_mod_refs(task, rcv, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_PORT_DESTROYED);
		CHECK(n.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
		CHECK(n.destroyed.not_body.msgh_descriptor_count == 1);
		CHECK(n.destroyed.not_port.disposition == MACH_MSG_TYPE_PORT_RECEIVE);
		CHECK(n.destroyed.not_port.type == MACH_MSG_PORT_DESCRIPTOR);
		rcv = n.destroyed.not_port.name;
		KR(mach_port_type(task, rcv, &t), KERN_SUCCESS);
		CHECK(t == MACH_PORT_TYPE_RECEIVE);

		/* dead name: a send right under 'snd' we do not receive on.  Give the receive
		 * right to the holder queue so our name is only a send right. */
		KR(mach_port_insert_right(task, rcv, rcv, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
		KR(mach_port_insert_right(task, holder, holder, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
		memset(&m, 0, sizeof m);
		m.h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
		m.h.msgh_size = sizeof m;
		m.h.msgh_remote_port = holder;
		m.b.msgh_descriptor_count = 1;
		m.p.name = rcv;
		m.p.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		m.p.type = MACH_MSG_PORT_DESCRIPTOR;
		KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		KR(mach_port_type(task, rcv, &t), KERN_SUCCESS);
		CHECK(t == MACH_PORT_TYPE_SEND);
		KR(mach_port_request_notification(task, rcv, MACH_NOTIFY_DEAD_NAME, 0, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
		CHECK(prev == MACH_PORT_NULL);
		KR(mach_port_type(task, rcv, &t), KERN_SUCCESS);
		CHECK(t == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST));
		/* destroying holder destroys the queued message and the receive right in it */
		KR(mach_port_mod_refs(task, holder, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_DEAD_NAME);
		CHECK(n.dead.not_port == rcv);
		CHECK(n.head.msgh_size == sizeof(mach_dead_name_notification_t) - sizeof(mach_msg_format_0_trailer_t));
		KR(mach_port_type(task, rcv, &t), KERN_SUCCESS);
		CHECK(t == MACH_PORT_TYPE_DEAD_NAME);
		/* one ref for the dead send right, one more for the notification */
		KR(mach_port_get_refs(task, rcv, MACH_PORT_RIGHT_DEAD_NAME, &u), KERN_SUCCESS);
		CHECK(u == 2);
		KR(mach_port_deallocate(task, rcv), KERN_SUCCESS);
		KR(mach_port_deallocate(task, rcv), KERN_SUCCESS);
		KR(mach_port_type(task, rcv, &t), KERN_INVALID_NAME);
		/* holder's send right is now a dead name */
		KR(mach_port_type(task, holder, &t), KERN_SUCCESS);
		CHECK(t == MACH_PORT_TYPE_DEAD_NAME);
		mach_port_deallocate(task, holder);

		/* dead-name request on an already dead name: KERN_INVALID_ARGUMENT with sync 0... */
		{
			mach_port_t d;
			KR(mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &d), KERN_SUCCESS);
			KR(mach_port_request_notification(task, d, MACH_NOTIFY_DEAD_NAME, 0, notify,
				MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_INVALID_ARGUMENT);
			/* the failed request destroyed the send-once right it carried */
			receive(notify, &n);
			CHECK(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
			/* ... and an immediate notification with sync != 0 */
			KR(mach_port_request_notification(task, d, MACH_NOTIFY_DEAD_NAME, 1, notify,
				MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
			receive(notify, &n);
			CHECK(n.head.msgh_id == MACH_NOTIFY_DEAD_NAME);
			CHECK(n.dead.not_port == d);
			KR(mach_port_get_refs(task, d, MACH_PORT_RIGHT_DEAD_NAME, &u), KERN_SUCCESS);
			CHECK(u == 2);
		}
		/* bad msgid */
		KR(mach_port_request_notification(task, notify, 12345, 0, notify,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_INVALID_VALUE);
		receive(notify, &n);
		CHECK(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
		expect_empty(notify);
	}
	printf("notifications: ok\n");
	return 0;
}
