// SPDX-License-Identifier: GPL-2.0
/*
 * mig_types: every data shape of migtypes.defs through stubs that
 * tools/mig generated at build time, between this program (the client)
 * and a fork+exec'd copy of it (the server, found through bootstrap).
 * Every value is checked on both sides: the server answers with values
 * derived from what it received, so a wrong field shows as a wrong answer.
 */
#include <stdint.h>
#include <sys/mman.h>

#include "mig_util.h"

#include "migtypes.h"
#include "migtypesServer.h"

/* ---- translated types: what the stub's intran/outtran/destructor do ---- */

static int handles_in, handles_dropped;

handle_obj_t handle_in(int value)
{
	handle_obj_t h = malloc(sizeof(*h));

	h->value = value;
	h->live = 1;
	handles_in++;
	return h;
}

int handle_out(handle_obj_t h)
{
	return h->value;
}

void handle_drop(handle_obj_t h)
{
	h->live = 0;
	free(h);
	handles_dropped++;
}

/* ---- the server's routines ---- */

kern_return_t srv_scalars(mach_port_t server, int8_t a8, int16_t b16, int32_t c32, int64_t d64,
			  float f, double g, boolean_t flag, int64_t *sum, double *prod)
{
	(void)server;
	*sum = a8 + b16 + c32 + d64 + (flag ? 1000 : 0);
	*prod = (double)f * g;
	return KERN_SUCCESS;
}

kern_return_t srv_inout_scalars(mach_port_t server, int *x, uint64_t *y, uint8_t *z)
{
	(void)server;
	*x += 1;
	*y *= 2;
	*z ^= 0xff;
	return KERN_SUCCESS;
}

kern_return_t srv_fixed_arrays(mach_port_t server, int6_t a, int6_t b, bytes5_t c)
{
	int i;

	(void)server;
	for (i = 0; i < 6; i++)
		b[i] = a[i] * 2;
	for (i = 0; i < 5; i++)
		c[i] += 1;
	return KERN_SUCCESS;
}

kern_return_t srv_structs(mach_port_t server, pair_t p, tri_t r, pair_t *q, tri_t *s)
{
	(void)server;
	q->a = p.b;
	q->b = p.a;
	s->x = r.z;
	s->y = r.y;
	s->z = r.x;
	return KERN_SUCCESS;
}

kern_return_t srv_strings(mach_port_t server, name32_t fixed, vname_t var, name32_t ofixed,
			  vname_t ovar, int *total)
{
	(void)server;
	snprintf(ofixed, 32, "<%s>", fixed);
	snprintf(ovar, 40, "%s+%s", var, fixed);
	*total = (int)(strlen(fixed) + strlen(var));
	return KERN_SUCCESS;
}

kern_return_t srv_var_arrays(mach_port_t server, ints_t a, mach_msg_type_number_t aCnt,
			     shorts_t b, mach_msg_type_number_t bCnt, int tail, ints_t c,
			     mach_msg_type_number_t *cCnt, vbytes_t d, mach_msg_type_number_t *dCnt,
			     int *tail2)
{
	mach_msg_type_number_t i;

	(void)server;
	if (*cCnt != 10 || *dCnt != 9)	/* the stub offers the arrays' room */
		return KERN_INVALID_VALUE;
	for (i = 0; i < aCnt; i++)
		c[i] = a[aCnt - 1 - i];
	*cCnt = aCnt;
	for (i = 0; i < bCnt; i++)
		d[i] = (uint8_t)b[i];
	d[bCnt] = 0xee;
	*dCnt = bCnt + 1;
	*tail2 = tail * 2;
	return KERN_SUCCESS;
}

kern_return_t srv_count_inout(mach_port_t server, int n, ints_t v, mach_msg_type_number_t *vCnt)
{
	mach_msg_type_number_t i, want = n == 99 ? 8 : (mach_msg_type_number_t)n;

	(void)server;
	if (n != 99 && want > *vCnt)	/* the client's room, at most the type's */
		want = *vCnt;
	for (i = 0; i < want; i++)
		v[i] = (int)(i * i);
	*vCnt = want;
	return KERN_SUCCESS;
}

kern_return_t srv_same_count(mach_port_t server, ints_t a, mach_msg_type_number_t aCnt, ints_t b,
			     int *dot)
{
	mach_msg_type_number_t i;

	(void)server;
	*dot = 0;
	for (i = 0; i < aCnt; i++)
		*dot += a[i] * b[i];
	return KERN_SUCCESS;
}

static int unbounded_reply[300];

kern_return_t srv_unbounded(mach_port_t server, intarr_t a, mach_msg_type_number_t aCnt,
			    intarr_t *b, mach_msg_type_number_t *bCnt)
{
	mach_msg_type_number_t i;

	(void)server;
	if (*bCnt != 0)		/* an unbounded out array's count starts at 0 */
		return KERN_INVALID_VALUE;
	for (i = 0; i < aCnt && i < 300; i++)
		unbounded_reply[i] = a[i] + 1;
	*b = unbounded_reply;	/* not dealloc: the stub sends a copy */
	*bCnt = aCnt < 300 ? aCnt : 300;
	return KERN_SUCCESS;
}

static uint32_t byte_sum(vm_offset_t p, mach_msg_type_number_t n)
{
	uint32_t s = 0;
	mach_msg_type_number_t i;

	for (i = 0; i < n; i++)
		s += ((unsigned char *)p)[i];
	return s;
}

kern_return_t srv_ool(mach_port_t server, vm_offset_t d, mach_msg_type_number_t dCnt,
		      vm_offset_t e, vm_offset_t f, mach_msg_type_number_t fCnt, vm_offset_t h,
		      mach_msg_type_number_t hCnt, int6_t sums, vm_offset_t *g,
		      mach_msg_type_number_t *gCnt, boolean_t *gDealloc)
{
	vm_address_t out = 0;
	mach_msg_type_number_t i;

	(void)server;
	sums[0] = (int)byte_sum(d, dCnt);
	sums[1] = (int)byte_sum(e, 256);
	sums[2] = (int)byte_sum(f, fCnt);
	sums[3] = (int)byte_sum(h, hCnt);
	sums[4] = (int)dCnt;
	sums[5] = (int)(fCnt * 1000 + hCnt);
	/* the request's regions are ours now */
	vm_deallocate(mach_task_self(), d, dCnt);
	vm_deallocate(mach_task_self(), e, 256);
	vm_deallocate(mach_task_self(), f, fCnt);
	vm_deallocate(mach_task_self(), h, hCnt);
	if (vm_allocate(mach_task_self(), &out, 9000, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	for (i = 0; i < 9000; i++)
		((unsigned char *)out)[i] = (unsigned char)(i % 253);
	*g = out;
	*gCnt = 9000;
	*gDealloc = TRUE;	/* dealloc[]: the server decides */
	return KERN_SUCCESS;
}

kern_return_t srv_translated(mach_port_t server, handle_obj_t h, handle_obj_t *k, my_counter_t *c)
{
	(void)server;
	if (!h || !h->live)
		return KERN_INVALID_ARGUMENT;
	*k = handle_in(h->value + 1);
	/* what the stub did before this call: handle_in per call, one drop per earlier call */
	*c = *c + (my_counter_t)(handles_dropped * 1000 + handles_in);
	return KERN_SUCCESS;
}

static int last_note, notes;

kern_return_t srv_note(mach_port_t server, int v)
{
	(void)server;
	last_note = v;
	notes++;
	return KERN_SUCCESS;
}

kern_return_t srv_get_note(mach_port_t server, int *v, int *n)
{
	(void)server;
	*v = last_note;
	*n = notes;
	return KERN_SUCCESS;
}

/* ---- the client ---- */

static int mapped(vm_address_t addr)
{
	unsigned char vec;

	return mincore((void *)(addr & ~(vm_address_t)(vm_page_size - 1)), vm_page_size, &vec) == 0;
}

static vm_address_t region(size_t n, unsigned char seed)
{
	vm_address_t a = 0;
	size_t i;

	if (vm_allocate(mach_task_self(), &a, n, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return 0;
	for (i = 0; i < n; i++)
		((unsigned char *)a)[i] = (unsigned char)(seed + i * 3);
	return a;
}

static uint32_t region_sum(size_t n, unsigned char seed)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += (unsigned char)(seed + i * 3);
	return s;
}

static void test_scalars(mach_port_t srv)
{
	int64_t sum = 0;
	double prod = 0;
	int x = 41;
	uint64_t y = 0x100000001ull;
	uint8_t z = 0x0f;

	CHECK_KR(KERN_SUCCESS, cli_scalars(srv, -8, -1600, 320000, 0x123456789ll, 1.5f, -2.25, TRUE,
					  &sum, &prod), "scalars");
	CHECK(sum == -8 - 1600 + 320000 + 0x123456789ll + 1000, "sum %lld", (long long)sum);
	CHECK(prod == 1.5 * -2.25, "prod %f", prod);
	CHECK_KR(KERN_SUCCESS, cli_inout_scalars(srv, &x, &y, &z), "inout");
	CHECK(x == 42 && y == 0x200000002ull && z == 0xf0, "inout: %d %#llx %#x", x,
	      (unsigned long long)y, z);
}

static void test_arrays(mach_port_t srv)
{
	int6_t a = { 1, -2, 3, -4, 5, -6 }, b = { 0 };
	bytes5_t c = { 10, 20, 30, 40, 255 };
	pair_t p = { 0x1111222233334444ull, 7 }, q = { 0, 0 };
	tri_t r = { 1, -2, 3 }, s = { 0, 0, 0 };
	int i;

	CHECK_KR(KERN_SUCCESS, cli_fixed_arrays(srv, a, b, c), "fixed arrays");
	for (i = 0; i < 6; i++)
		CHECK(b[i] == a[i] * 2, "b[%d] = %d", i, b[i]);
	CHECK(c[0] == 11 && c[3] == 41 && c[4] == 0, "inout bytes %u %u %u", c[0], c[3], c[4]);
	CHECK_KR(KERN_SUCCESS, cli_structs(srv, p, r, &q, &s), "structs");
	CHECK(q.a == 7 && q.b == 0x1111222233334444ull, "pair %#llx %#llx",
	      (unsigned long long)q.a, (unsigned long long)q.b);
	CHECK(s.x == 3 && s.y == -2 && s.z == 1, "tri %d %d %d", s.x, s.y, s.z);
}

static void test_strings(mach_port_t srv)
{
	name32_t fixed = "fixed-string", ofixed, empty = "";
	char var[80], ovar[40];
	int total = 0;

	strcpy(var, "variable");
	memset(ofixed, 'X', sizeof(ofixed));
	memset(ovar, 'X', sizeof(ovar));
	CHECK_KR(KERN_SUCCESS, cli_strings(srv, fixed, var, ofixed, ovar, &total), "strings");
	CHECK(strcmp(ofixed, "<fixed-string>") == 0, "ofixed '%.32s'", ofixed);
	CHECK(strcmp(ovar, "variable+fixed-string") == 0, "ovar '%.40s'", ovar);
	CHECK(total == 20, "total %d", total);
	/* longer than the bound: the stub cuts it at 39 characters */
	memset(var, 'v', sizeof(var) - 1);
	var[sizeof(var) - 1] = '\0';
	CHECK_KR(KERN_SUCCESS, cli_strings(srv, empty, var, ofixed, ovar, &total), "long string");
	CHECK(total == 39, "cut string length %d", total);
	CHECK(strlen(ovar) == 39, "ovar length %zu", strlen(ovar));
	CHECK_KR(KERN_SUCCESS, cli_strings(srv, empty, empty, ofixed, ovar, &total), "empty strings");
	CHECK(total == 0 && strcmp(ofixed, "<>") == 0 && strcmp(ovar, "+") == 0, "empty: %d '%s' '%s'",
	      total, ofixed, ovar);
}

static void test_var_arrays(mach_port_t srv)
{
	int a[10], c[10];
	int16_t b[7];
	uint8_t d[9];
	mach_msg_type_number_t cCnt = 10, dCnt = 9, i, n;
	int tail2 = 0;

	for (n = 0; n <= 10; n += 5) {
		for (i = 0; i < 10; i++)
			a[i] = (int)(100 + i);
		for (i = 0; i < 7; i++)
			b[i] = (int16_t)(-i - 1);
		memset(c, 0, sizeof(c));
		memset(d, 0, sizeof(d));
		CHECK_KR(KERN_SUCCESS, cli_var_arrays(srv, a, n, b, n < 7 ? n : 7, 12345, c, &cCnt, d,
						      &dCnt, &tail2), "var arrays");
		CHECK(cCnt == n, "cCnt %u for %u", cCnt, n);
		for (i = 0; i < cCnt && i < 10; i++)
			CHECK(c[i] == a[n - 1 - i], "c[%u] = %d", i, c[i]);
		CHECK(dCnt == (n < 7 ? n : 7) + 1, "dCnt %u", dCnt);
		for (i = 0; i + 1 < dCnt; i++)
			CHECK(d[i] == (uint8_t)b[i], "d[%u] = %u", i, d[i]);
		CHECK(d[dCnt - 1] == 0xee, "d last %#x", d[dCnt - 1]);
		CHECK(tail2 == 24690, "tail after two packed arrays: %d", tail2);
	}
	/* more than the bound: refused before anything is sent */
	CHECK_KR(MIG_ARRAY_TOO_LARGE, cli_var_arrays(srv, a, 11, b, 1, 0, c, &cCnt, d, &dCnt, &tail2),
		 "11 ints in array[*:10]");
	CHECK_KR(MIG_ARRAY_TOO_LARGE, cli_var_arrays(srv, a, 1, b, 8, 0, c, &cCnt, d, &dCnt, &tail2),
		 "8 shorts in array[*:7]");
}

static void test_counts(mach_port_t srv)
{
	int v[10], a[10], b[10], dot = 0;
	mach_msg_type_number_t vCnt, i;

	vCnt = 4;
	CHECK_KR(KERN_SUCCESS, cli_count_inout(srv, 6, v, &vCnt), "countinout 4 of 6");
	CHECK(vCnt == 4 && v[3] == 9, "countinout: %u, v[3] %d", vCnt, v[3]);
	vCnt = 10;
	CHECK_KR(KERN_SUCCESS, cli_count_inout(srv, 6, v, &vCnt), "countinout 6");
	CHECK(vCnt == 6 && v[5] == 25, "countinout: %u, v[5] %d", vCnt, v[5]);
	/* a server that returns more than the caller has room for */
	vCnt = 4;
	memset(v, 0, sizeof(v));
	CHECK_KR(MIG_ARRAY_TOO_LARGE, cli_count_inout(srv, 99, v, &vCnt), "countinout overflow");
	CHECK(vCnt == 8 && v[3] == 9 && v[4] == 0, "overflow: count %u, v[3] %d v[4] %d", vCnt, v[3],
	      v[4]);
	for (i = 0; i < 10; i++) {
		a[i] = (int)i + 1;
		b[i] = 2 * (int)i;
	}
	CHECK_KR(KERN_SUCCESS, cli_same_count(srv, a, 5, b, &dot), "samecount");
	CHECK(dot == 1 * 0 + 2 * 2 + 3 * 4 + 4 * 6 + 5 * 8, "dot %d", dot);
}

static void test_unbounded(mach_port_t srv)
{
	int a[250];
	intarr_t b = NULL;
	mach_msg_type_number_t bCnt = 0, i;

	for (i = 0; i < 250; i++)
		a[i] = (int)(i * 7);
	CHECK_KR(KERN_SUCCESS, cli_unbounded(srv, a, 250, &b, &bCnt), "unbounded");
	CHECK(bCnt == 250 && b != NULL, "unbounded: %u at %p", bCnt, (void *)b);
	for (i = 0; b && i < bCnt; i++)
		if (b[i] != a[i] + 1) {
			CHECK(0, "b[%u] = %d", i, b[i]);
			break;
		}
	if (b)
		CHECK_KR(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)b,
						     bCnt * sizeof(int)), "free unbounded reply");
	CHECK_KR(KERN_SUCCESS, cli_unbounded(srv, a, 0, &b, &bCnt), "unbounded, empty");
	CHECK(bCnt == 0, "empty unbounded: %u", bCnt);
}

static void test_ool(mach_port_t srv)
{
	vm_address_t d = region(3 * 4096 + 5, 1), e = region(256, 2), f = region(7000, 3);
	vm_address_t h = region(100, 4), h2 = region(50, 5);
	int6_t sums;
	vm_offset_t g = 0;
	mach_msg_type_number_t gCnt = 0, i;

	CHECK(d && e && f && h && h2, "vm_allocate");
	CHECK_KR(KERN_SUCCESS, cli_ool(srv, d, 3 * 4096 + 5, e, f, 7000, h, 100, TRUE, sums, &g,
				       &gCnt), "ool");
	CHECK((uint32_t)sums[0] == region_sum(3 * 4096 + 5, 1), "sum d %d", sums[0]);
	CHECK((uint32_t)sums[1] == region_sum(256, 2), "sum e %d", sums[1]);
	CHECK((uint32_t)sums[2] == region_sum(7000, 3), "sum f %d", sums[2]);
	CHECK((uint32_t)sums[3] == region_sum(100, 4), "sum h %d", sums[3]);
	CHECK(sums[4] == 3 * 4096 + 5 && sums[5] == 7000 * 1000 + 100, "counts %d %d", sums[4],
	      sums[5]);
	/* dealloc, and dealloc[] with TRUE, took the regions away from us */
	CHECK(!mapped(d), "d still mapped after a dealloc send");
	CHECK(!mapped(h), "h still mapped after a dealloc[] TRUE send");
	CHECK(mapped(f) && ((unsigned char *)f)[6999] == (unsigned char)(3 + 6999 * 3),
	      "f (physicalcopy, no dealloc) changed");
	CHECK(gCnt == 9000 && g, "g %u", gCnt);
	for (i = 0; g && i < gCnt; i++)
		if (((unsigned char *)g)[i] != (unsigned char)(i % 253)) {
			CHECK(0, "g[%u]", i);
			break;
		}
	if (g)
		vm_deallocate(mach_task_self(), g, gCnt);
	/* dealloc[] with FALSE: the region stays */
	CHECK_KR(KERN_SUCCESS, cli_ool(srv, region(10, 6), 10, e, f, 7000, h2, 50, FALSE, sums, &g,
				       &gCnt), "ool, keep h");
	CHECK(mapped(h2) && ((unsigned char *)h2)[49] == (unsigned char)(5 + 49 * 3),
	      "h2 gone after a dealloc[] FALSE send");
	CHECK((uint32_t)sums[3] == region_sum(50, 5), "sum h2 %d", sums[3]);
	if (g)
		vm_deallocate(mach_task_self(), g, gCnt);
	vm_deallocate(mach_task_self(), e, 256);
	vm_deallocate(mach_task_self(), f, 7000);
	vm_deallocate(mach_task_self(), h2, 50);
}

static void test_translated(mach_port_t srv)
{
	handle_t k = 0;
	my_counter_t c = 5;

	CHECK_KR(KERN_SUCCESS, cli_translated(srv, 41, &k, &c), "translated");
	CHECK(k == 42, "outtran: %d", k);
	/* first call: handle_in for h (the stub) and for k (the routine), nothing dropped yet */
	CHECK(c == 5 + 2, "counter %u", c);
	c = 0;
	CHECK_KR(KERN_SUCCESS, cli_translated(srv, 7, &k, &c), "translated again");
	CHECK(k == 8, "outtran: %d", k);
	/* second: h and k of call 1, h and k of call 2 came in; h of call 1 was dropped */
	CHECK(c == 1 * 1000 + 4, "counter %u", c);
}

static void test_simple(mach_port_t srv)
{
	int v = 0, n = 0;

	CHECK_KR(KERN_SUCCESS, cli_note(srv, 17), "note");
	CHECK_KR(KERN_SUCCESS, cli_note(srv, 18), "note");
	CHECK_KR(KERN_SUCCESS, cli_get_note(srv, &v, &n), "get_note");
	CHECK(v == 18 && n == 2, "notes %d %d", v, n);
}

static void test_tables(void)
{
	/* ids: base + index, the skip included; replies are id + 100 */
	CHECK(srv_migtypes_subsystem.start == 5200, "start %d", srv_migtypes_subsystem.start);
	CHECK(srv_migtypes_subsystem.end == 5214, "end %d", srv_migtypes_subsystem.end);
	CHECK(srv_migtypes_subsystem.routine[10].stub_routine == 0, "skip has a stub");
	CHECK(srv_migtypes_subsystem.routine[11].stub_routine != 0, "no stub after the skip");
	CHECK(migtypes_demux_routine(&(mach_msg_header_t){ .msgh_id = 5210 }) == 0, "5210");
	CHECK(migtypes_demux_routine(&(mach_msg_header_t){ .msgh_id = 5211 }) ==
	      srv_migtypes_subsystem.routine[11].stub_routine, "5211");
	CHECK(migtypes_MSG_COUNT == 14, "MSG_COUNT %d", migtypes_MSG_COUNT);
	CHECK(srv_migtypes_subsystem.maxsize == sizeof(union __ReplyUnion__srv_migtypes_subsystem),
	      "maxsize %u", srv_migtypes_subsystem.maxsize);
}

int main(int argc, char **argv)
{
	char name[64];
	mach_port_t srv;
	pid_t pid;

	if (argc == 3 && strcmp(argv[1], "--server") == 0) {
		mach_msg_size_t max = sizeof(union __RequestUnion__srv_migtypes_subsystem);

		if (max < srv_migtypes_subsystem.maxsize)
			max = srv_migtypes_subsystem.maxsize;
		mig_serve(argv[2], migtypes_demux, max, MACH_MSG_OPTION_NONE);
	}
	test_tables();
	snprintf(name, sizeof(name), "org.mach-linux.test.migtypes.%d", getpid());
	pid = mig_spawn_server(name);
	CHECK(pid > 0, "fork");
	srv = mig_look_up(name);
	CHECK(srv != MACH_PORT_NULL, "bootstrap_look_up %s", name);
	if (srv != MACH_PORT_NULL) {
		STEP("scalars");
		test_scalars(srv);
		STEP("arrays");
		test_arrays(srv);
		STEP("strings");
		test_strings(srv);
		STEP("var_arrays");
		test_var_arrays(srv);
		STEP("counts");
		test_counts(srv);
		STEP("unbounded");
		test_unbounded(srv);
		STEP("ool");
		test_ool(srv);
		STEP("translated");
		test_translated(srv);
		STEP("simple");
		test_simple(srv);
	}
	mig_stop_server(pid);
	return mig_result("mig_types");
}
