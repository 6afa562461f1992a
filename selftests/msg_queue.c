// SPDX-License-Identifier: GPL-2.0
/*
 * msg_queue - the message queue: queue limit, timeouts, MACH_RCV_LARGE,
 * interruption by signals, and the errors of a bad send or receive.
 *
 * XNU references: osfmk/ipc/ipc_mqueue.c (ipc_mqueue_send_locked: a full
 * queue blocks the sender unless the message travels on a send-once right;
 * ipc_mqueue_select_on_thread: MACH_RCV_TOO_LARGE when message size plus
 * requested trailer exceeds the buffer, the message left queued under
 * MACH_RCV_LARGE and its size reported in msgh_size, else dequeued and
 * destroyed), osfmk/ipc/mach_port.c (mach_port_{get,set}_attributes),
 * osfmk/ipc/mach_msg.c (send size < header or not a multiple of 4:
 * MACH_SEND_MSG_TOO_SMALL), libsyscall mach_msg() (retries interrupted
 * waits unless MACH_SEND_INTERRUPT / MACH_RCV_INTERRUPT is given).
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "msg_util.h"

static void default_limits(void)
{
	mach_port_t port = mu_port();
	mach_port_limits_t lim = { 0 };
	mach_msg_type_number_t count = MACH_PORT_LIMITS_INFO_COUNT;
	mach_port_status_t st;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  mach_port_get_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&lim, &count),
		  "get_attributes(LIMITS_INFO)");
	expect_eq(MACH_PORT_LIMITS_INFO_COUNT, count, "count");
	expect_eq(MACH_PORT_QLIMIT_DEFAULT, lim.mpl_qlimit, "default qlimit");
	st = mu_status(port);
	expect_eq(MACH_PORT_QLIMIT_DEFAULT, st.mps_qlimit, "status qlimit");
	expect_eq(0, st.mps_msgcount, "status msgcount");
	expect_eq(0, st.mps_seqno, "status seqno");
	expect_eq(0, st.mps_sorights, "status send-once rights");
	expect_eq(MACH_PORT_NULL, st.mps_pset, "in no port set");
}

/* Fill port with n messages carried by send rights (timeout 0). */
static bool fill(mach_port_t port, int n)
{
	for (int i = 0; i < n; i++)
		if (!expect_kr(MACH_MSG_SUCCESS,
			       mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, i, 0, 0, 0),
			       "send while the queue has room"))
			return false;
	return true;
}

static void queue_full(void)
{
	mach_port_t port = mu_port_send();
	mach_port_urefs_t refs;
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_true(fill(port, MACH_PORT_QLIMIT_DEFAULT), "fill to the limit");
	expect_eq(MACH_PORT_QLIMIT_DEFAULT, mu_status(port).mps_msgcount, "msgcount");
	refs = mu_refs(port, MACH_PORT_RIGHT_SEND);
	expect_kr(MACH_SEND_TIMED_OUT,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "6th send, timeout 0");
	/*
	 * A send that fails after copyin is pseudo-received by the sender
	 * (ipc_kmsg_copyout_pseudo): the right made for it is now ours...
	 */
	expect_eq(refs + 1, mu_refs(port, MACH_PORT_RIGHT_SEND),
		  "the made send right came back to the sender");
	/* ...and a moved right comes back. */
	refs = mu_refs(port, MACH_PORT_RIGHT_SEND);
	expect_kr(MACH_SEND_TIMED_OUT,
		  mu_send(port, MACH_MSG_TYPE_MOVE_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "MOVE_SEND to a full queue");
	expect_eq(refs, mu_refs(port, MACH_PORT_RIGHT_SEND), "moved right returned");
	/* A message on a send-once right is not held back by the limit. */
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, 1, 0, 0, 0, 0),
		  "send-once message to a full queue");
	expect_eq(MACH_PORT_QLIMIT_DEFAULT + 1, mu_status(port).mps_msgcount,
		  "msgcount over the limit");
	for (int i = 0; i < 2; i++)
		expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "drain one");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send once there is room");
	/* FIFO: the first message queued is the next one out. */
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive"))
		expect_eq(2, mu_as_msg(&r)->a, "FIFO order");
}

static kern_return_t set_qlimit(mach_port_t port, unsigned int qlimit,
				mach_msg_type_number_t count)
{
	mach_port_limits_t lim = { .mpl_qlimit = qlimit };

	return mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
					(mach_port_info_t)&lim, count);
}

static void change_qlimit(void)
{
	mach_port_t port = mu_port(), dead;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, set_qlimit(port, 2, MACH_PORT_LIMITS_INFO_COUNT),
		  "set qlimit 2");
	expect_eq(2, mu_status(port).mps_qlimit, "qlimit");
	assert_true(fill(port, 2), "fill");
	expect_kr(MACH_SEND_TIMED_OUT,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "3rd send");
	expect_kr(KERN_SUCCESS, set_qlimit(port, MACH_PORT_QLIMIT_MAX,
					   MACH_PORT_LIMITS_INFO_COUNT),
		  "set qlimit MACH_PORT_QLIMIT_MAX");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send after raising the limit");
	expect_kr(KERN_INVALID_VALUE,
		  set_qlimit(port, MACH_PORT_QLIMIT_MAX + 1, MACH_PORT_LIMITS_INFO_COUNT),
		  "qlimit above MACH_PORT_QLIMIT_MAX");
	expect_kr(KERN_FAILURE, set_qlimit(port, 3, 0), "count too small");
	expect_eq(MACH_PORT_QLIMIT_MAX, mu_status(port).mps_qlimit, "qlimit kept");
	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "allocate DEAD_NAME");
	expect_kr(KERN_INVALID_RIGHT, set_qlimit(dead, 3, MACH_PORT_LIMITS_INFO_COUNT),
		  "set qlimit on a dead name");
	expect_kr(KERN_INVALID_NAME, set_qlimit(0x7ffe0103, 3, MACH_PORT_LIMITS_INFO_COUNT),
		  "set qlimit on an unused name");
}

static void receive_timeouts(void)
{
	mach_port_t port = mu_port();
	struct mu_rcv r;
	uint64_t t0, dt;

	assert_true(port != MACH_PORT_NULL, "port");
	t0 = mt_now_ms();
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "timeout 0, empty port");
	dt = mt_now_ms() - t0;
	expect_true(dt < 5000, "timeout 0 does not wait");
	t0 = mt_now_ms();
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 100), "timeout 100 ms");
	dt = mt_now_ms() - t0;
	mt_diag("100 ms receive timeout took %llu ms", (unsigned long long)dt);
	expect_true(dt >= 90, "waited about 100 ms");
	expect_true(dt < 20000, "and not forever");
}

struct payload_msg {
	mach_msg_header_t hdr;
	uint32_t words[16];
};

static mach_msg_return_t send_payload(mach_port_t port)
{
	struct payload_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.hdr.msgh_remote_port = port;
	m.hdr.msgh_id = 77;
	for (int i = 0; i < 16; i++)
		m.words[i] = 0x1000 + i;
	return mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

static mach_msg_return_t recv_sized(mach_port_t port, void *buf, mach_msg_size_t size,
				    mach_msg_option_t extra)
{
	memset(buf, 0, size);
	return mach_msg(buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0, size, port,
			0, MACH_PORT_NULL);
}

static void rcv_large(void)
{
	mach_port_t port = mu_port();
	const mach_msg_size_t msize = sizeof(struct payload_msg);
	const mach_msg_size_t tsize = sizeof(mach_msg_trailer_t);
	struct mu_rcv r;
	const struct payload_msg *m = (const void *)&r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(MACH_MSG_SUCCESS, send_payload(port), "send");
	expect_kr(MACH_RCV_TOO_LARGE,
		  recv_sized(port, &r, sizeof(mach_msg_header_t), MACH_RCV_LARGE),
		  "receive into a header-sized buffer with MACH_RCV_LARGE");
	expect_eq(msize, r.hdr.msgh_size, "msgh_size reports the message size");
	expect_eq(1, mu_status(port).mps_msgcount, "the message is still queued");
	/* The buffer must hold the message and the requested trailer. */
	expect_kr(MACH_RCV_TOO_LARGE,
		  recv_sized(port, &r, msize + tsize - 4, MACH_RCV_LARGE),
		  "4 bytes short of message + trailer");
	expect_eq(msize, r.hdr.msgh_size, "msgh_size again");
	assert_kr(MACH_MSG_SUCCESS, recv_sized(port, &r, msize + tsize, MACH_RCV_LARGE),
		  "exactly message + trailer");
	expect_eq(msize, m->hdr.msgh_size, "msgh_size");
	expect_eq(77, m->hdr.msgh_id, "msgh_id");
	expect_eq(0x100f, m->words[15], "payload");
	expect_eq(0, mu_status(port).mps_msgcount, "dequeued");
}

static void rcv_too_large_destroys(void)
{
	mach_port_t port = mu_port();
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(MACH_MSG_SUCCESS, send_payload(port), "send");
	expect_kr(MACH_RCV_TOO_LARGE, recv_sized(port, &r, sizeof(mach_msg_header_t), 0),
		  "too small a buffer without MACH_RCV_LARGE");
	expect_eq(0, mu_status(port).mps_msgcount, "the message was dequeued");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "and is gone");
	/* It still counted: the next message gets the next sequence number. */
	assert_kr(MACH_MSG_SUCCESS, send_payload(port), "send again");
	if (expect_kr(MACH_MSG_SUCCESS,
		      mu_recv(port, &r, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
			      0), "receive"))
		expect_eq(1, mu_trailer(&r.hdr)->msgh_seqno, "seqno");
}

/* --- signals ------------------------------------------------------------ */

static atomic_int signals_seen;
static pthread_t main_thread;
static mach_port_t sig_port;

static void on_usr1(int sig)
{
	(void)sig;
	atomic_fetch_add(&signals_seen, 1);
}

static void install_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: the wait must see EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	atomic_store(&signals_seen, 0);
	main_thread = pthread_self();
}

/* Signal the main thread after 200 ms; if asked, send a message later. */
static void *poke(void *arg)
{
	mt_sleep_ms(200);
	pthread_kill(main_thread, SIGUSR1);
	if (arg) {
		mt_sleep_ms(300);
		mu_send(sig_port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0, 0, MU_WAIT_MS);
	}
	return NULL;
}

static void rcv_interrupted(void)
{
	struct mu_rcv r;
	pthread_t t;

	sig_port = mu_port();
	assert_true(sig_port != MACH_PORT_NULL, "port");
	install_handler();
	assert_eq(0, pthread_create(&t, NULL, poke, NULL), "pthread_create");
	expect_kr(MACH_RCV_INTERRUPTED,
		  mu_recv(sig_port, &r, MACH_RCV_INTERRUPT, MU_WAIT_MS),
		  "blocked receive with MACH_RCV_INTERRUPT");
	pthread_join(t, NULL);
	expect_eq(1, atomic_load(&signals_seen), "the handler ran");
}

static void rcv_retried(void)
{
	struct mu_rcv r;
	pthread_t t;

	sig_port = mu_port();
	assert_true(sig_port != MACH_PORT_NULL, "port");
	install_handler();
	assert_eq(0, pthread_create(&t, NULL, poke, (void *)1), "pthread_create");
	expect_kr(MACH_MSG_SUCCESS, mu_recv(sig_port, &r, 0, MU_WAIT_MS),
		  "blocked receive without MACH_RCV_INTERRUPT rides out the signal");
	pthread_join(t, NULL);
	expect_eq(1, atomic_load(&signals_seen), "the handler ran");
}

static void *poke_and_drain(void *arg)
{
	struct mu_rcv r;

	mt_sleep_ms(200);
	pthread_kill(main_thread, SIGUSR1);
	if (arg) {
		mt_sleep_ms(300);
		mu_recv(sig_port, &r, 0, MU_WAIT_MS);
	}
	return NULL;
}

static void send_interrupted(void)
{
	pthread_t t;

	sig_port = mu_port();
	assert_true(sig_port != MACH_PORT_NULL, "port");
	assert_true(fill(sig_port, MACH_PORT_QLIMIT_DEFAULT), "fill");
	install_handler();
	assert_eq(0, pthread_create(&t, NULL, poke_and_drain, NULL), "pthread_create");
	expect_kr(MACH_SEND_INTERRUPTED,
		  mu_send(sig_port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0,
			  MACH_SEND_INTERRUPT, MU_WAIT_MS),
		  "blocked send with MACH_SEND_INTERRUPT");
	pthread_join(t, NULL);
	expect_eq(1, atomic_load(&signals_seen), "the handler ran");
	expect_eq(MACH_PORT_QLIMIT_DEFAULT, mu_status(sig_port).mps_msgcount,
		  "nothing was added");

	install_handler();
	assert_eq(0, pthread_create(&t, NULL, poke_and_drain, (void *)1),
		  "pthread_create");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(sig_port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0, 0, MU_WAIT_MS),
		  "blocked send without MACH_SEND_INTERRUPT rides out the signal");
	pthread_join(t, NULL);
	expect_eq(1, atomic_load(&signals_seen), "the handler ran");
}

/* --- bad sends and receives --------------------------------------------- */

static void rcv_invalid_name(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), dead, so;
	mach_msg_type_name_t acquired;
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "allocate DEAD_NAME");
	assert_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					  &so, &acquired),
		  "a send-once right");
	expect_kr(MACH_RCV_INVALID_NAME, mu_recv(MACH_PORT_NULL, &r, 0, 0),
		  "receive on MACH_PORT_NULL");
	expect_kr(MACH_RCV_INVALID_NAME, mu_recv(0x7ffe0103, &r, 0, 0),
		  "receive on an unused name");
	expect_kr(MACH_RCV_INVALID_NAME, mu_recv(dead, &r, 0, 0),
		  "receive on a dead name");
	expect_kr(MACH_RCV_INVALID_NAME, mu_recv(so, &r, 0, 0),
		  "receive on a send-once right");
}

static mach_msg_return_t send_sized(mach_port_t dest, mach_msg_size_t size)
{
	struct mu_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.hdr.msgh_size = size;
	m.hdr.msgh_remote_port = dest;
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static void send_errors(void)
{
	mach_port_t port = mu_port();
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send to MACH_PORT_NULL");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(0x7ffe0103, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send to an unused name");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "COPY_SEND with only the receive right");
	expect_kr(MACH_SEND_MSG_TOO_SMALL, send_sized(port, 0), "send size 0");
	expect_kr(MACH_SEND_MSG_TOO_SMALL, send_sized(port, 20), "send size 20");
	expect_kr(MACH_SEND_MSG_TOO_SMALL, send_sized(port, 26),
		  "send size 26 (not a multiple of 4)");
	expect_kr(MACH_SEND_MSG_TOO_SMALL, send_sized(port, 30),
		  "send size 30 (not a multiple of 4)");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "nothing was queued");
	expect_kr(MACH_MSG_SUCCESS, send_sized(port, 28), "send size 28");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive"))
		expect_eq(28, r.hdr.msgh_size, "msgh_size");
}

static const struct mt_case cases[] = {
	MT_CASE(default_limits),
	MT_CASE(queue_full),
	MT_CASE(change_qlimit),
	MT_CASE(receive_timeouts),
	MT_CASE(rcv_large),
	MT_CASE(rcv_too_large_destroys),
	MT_CASE(rcv_interrupted),
	MT_CASE(rcv_retried),
	MT_CASE(send_interrupted),
	MT_CASE(rcv_invalid_name),
	MT_CASE(send_errors),
};

int main(void)
{
	return MT_RUN(cases);
}
