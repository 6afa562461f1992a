/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The grammar of the MIG language (.defs files, after cpp), as macOS's mig
 * accepts it.  Actions build types (type.c), routines (routine.c) and the
 * statement list the writers walk; settings go to S.  Constructs this mig
 * does not implement are parsed and then refused with a clear error.
 */
%define api.prefix {mig_yy}
%define parse.error verbose

%code requires {
#include "mig.h"
struct sym {
	unsigned in, out, bits;
	const char *instr, *outstr;
};
}

%union {
	unsigned u;
	char *s;
	struct sym sym;
	struct mtype *t;
	struct arg *a;
	struct routine *r;
	uint64_t k;
	enum stmt_kind sk;
}

%code {
#include <string.h>

int mig_yylex(void);
static void mig_yyerror(const char *msg);
static unsigned intexp_check(uint64_t v);
static struct mtype *dummy_type(void);
static void check_duplicate_args(struct arg *args);
static void check_routine_name(struct routine *rt);
}

%token T_ROUTINE T_SIMPLEROUTINE T_SUBSYSTEM T_MSGOPTION T_USESPECIALREPLYPORT
%token T_CONSUMEONSENDERROR T_MSGSEQNO T_WAITTIME T_SENDTIME T_NOWAITTIME T_NOSENDTIME
%token T_IN T_OUT T_INOUT T_USERIMPL T_SERVERIMPL T_SECTOKEN T_SERVERSECTOKEN
%token T_USERSECTOKEN T_AUDITTOKEN T_SERVERAUDITTOKEN T_USERAUDITTOKEN
%token T_SERVERCONTEXTTOKEN T_REQUESTPORT T_REPLYPORT T_UREPLYPORT T_SREPLYPORT
%token T_ARRAY T_OF T_ERRORPROC T_SERVERPREFIX T_USERPREFIX T_SERVERDEMUX T_RCSID
%token T_IMPORT T_UIMPORT T_SIMPORT T_DIMPORT T_IIMPORT T_TYPE T_KERNELSERVER
%token T_KERNELUSER T_SKIP T_STRUCT T_INTRAN T_OUTTRAN T_DESTRUCTOR T_CTYPE
%token T_CUSERTYPE T_CSERVERTYPE T_CSTRING T_POINTERTO T_POINTERTOIFNOT T_VALUEOF
%token T_USERTYPELIMIT T_ONSTACKLIMIT T_BADCHAR

%token <u> T_NUMBER T_IPCFLAG
%token <sym> T_SYMTYPE
%token <s> T_IDENT T_STRING T_QSTRING T_FILENAME

%left '+' '-'
%left '*' '/'

%type <u> intexp0 var_array_head array_head struct_head ipcflags
%type <k> intexp
%type <sym> prim_ipc_type ipc_type
%type <t> named_type_spec trans_type_spec type_spec basic_type_spec native_type_spec
%type <t> cstring_spec arg_type
%type <a> argument trailer arg_list arguments
%type <r> routine_decl
%type <k> direction
%type <sk> import_kind
%type <s> type_phrase

%%

statements:	%empty
	|	statements statement
	;

statement:	subsystem ';'
	|	T_WAITTIME T_STRING ';'		{ S.wait_time = $2; }
	|	T_NOWAITTIME ';'		{ S.wait_time = NULL; }
	|	T_SENDTIME T_STRING ';'		{ S.send_time = $2; }
	|	T_NOSENDTIME ';'		{ S.send_time = NULL; }
	|	T_MSGOPTION T_STRING ';'
		{ S.msg_option = strcmp($2, "MACH_MSG_OPTION_NONE") ? $2 : NULL; }
	|	T_USESPECIALREPLYPORT T_NUMBER ';'
		{ if ($2) error("UseSpecialReplyPort is not supported (there are no special reply ports)"); }
	|	T_CONSUMEONSENDERROR T_STRING ';'
		{
			if (strcasecmp($2, "None") == 0) {
				S.consume_on_send_error = CONSUME_NONE;
			} else if (strcasecmp($2, "Timeout") == 0) {
				S.consume_on_send_error = CONSUME_TIMEOUT;
				S.has_consume_on_send_error = true;
			} else if (strcasecmp($2, "Any") == 0) {
				S.consume_on_send_error = CONSUME_ANY;
				S.has_consume_on_send_error = true;
			} else {
				error("ConsumeOnSendError must be None, Timeout or Any");
			}
		}
	|	T_USERTYPELIMIT T_NUMBER ';'	{ S.user_type_limit = $2; }
	|	T_ONSTACKLIMIT T_NUMBER ';'	{ S.max_on_stack = $2; }
	|	T_ERRORPROC T_IDENT ';'		/* ErrorProc: no code uses it */
	|	T_SERVERPREFIX T_IDENT ';'	{ S.server_prefix = $2; }
	|	T_USERPREFIX T_IDENT ';'	{ S.user_prefix = $2; }
	|	T_SERVERDEMUX T_IDENT ';'	{ S.server_demux = $2; }
	|	T_TYPE named_type_spec ';'
		{
			struct mtype *old = type_lookup($2->name);

			if (old)
				warn("overriding previous definition of %s", $2->name);
			type_insert($2->name, $2);
		}
	|	routine_decl ';'
		{
			check_routine_name($1);
			routine_check($1);
			stmt_add(S_ROUTINE, $1, NULL);
		}
	|	T_SKIP ';'			{ routine_skip(); }
	|	import_kind T_FILENAME ';'	{ stmt_add($1, NULL, $2); }
	|	T_RCSID T_QSTRING ';'
		{
			if (S.rcsid)
				warn("previous RCS decl will be ignored");
			S.rcsid = $2;
		}
	|	';'
	|	error ';'			{ yyerrok; }
	;

subsystem:	subsystem_start subsystem_mods T_IDENT T_NUMBER
		{ S.subsystem = $3; S.base = $4; }
	;

subsystem_start: T_SUBSYSTEM
		{
			if (S.subsystem) {
				warn("previous Subsystem decl (of %s) will be ignored", S.subsystem);
				S.kernel_user = S.kernel_server = false;
				S.subsystem = NULL;
			}
		}
	;

subsystem_mods:	%empty
	|	subsystem_mods T_KERNELUSER
		{ if (S.kernel_user) warn("duplicate KernelUser keyword"); S.kernel_user = true; }
	|	subsystem_mods T_KERNELSERVER
		{ if (S.kernel_server) warn("duplicate KernelServer keyword"); S.kernel_server = true; }
	;

import_kind:	T_IMPORT	{ $$ = S_IMPORT; }
	|	T_UIMPORT	{ $$ = S_UIMPORT; }
	|	T_SIMPORT	{ $$ = S_SIMPORT; }
	|	T_DIMPORT	{ $$ = S_DIMPORT; }
	|	T_IIMPORT	{ $$ = S_IIMPORT; }
	;

named_type_spec: T_IDENT '=' trans_type_spec
		{ type_declared($1, $3); $$ = $3; }
	;

trans_type_spec: type_spec
		{ $$ = type_reset($1); }
	|	trans_type_spec T_INTRAN ':' T_IDENT T_IDENT '(' T_IDENT ')'
		{
			$$ = $1;
			$$->trans_type = $4;
			$$->intran = $5;
			$$->server_type = $7;
		}
	|	trans_type_spec T_OUTTRAN ':' T_IDENT T_IDENT '(' T_IDENT ')'
		{
			$$ = $1;
			$$->server_type = $4;
			$$->outtran = $5;
			$$->trans_type = $7;
		}
	|	trans_type_spec T_DESTRUCTOR ':' T_IDENT '(' T_IDENT ')'
		{
			$$ = $1;
			$$->destructor = $4;
			$$->trans_type = $6;
		}
	|	trans_type_spec T_CTYPE ':' T_IDENT
		{ $$ = $1; $$->user_type = $4; $$->server_type = $4; }
	|	trans_type_spec T_CUSERTYPE ':' T_IDENT
		{ $$ = $1; $$->user_type = $4; }
	|	trans_type_spec T_CSERVERTYPE ':' T_IDENT
		{ $$ = $1; $$->server_type = $4; }
	;

type_spec:	basic_type_spec			{ $$ = $1; }
	|	T_IDENT				{ $$ = type_prev($1); }
	|	var_array_head type_spec	{ $$ = type_var_array($1, $2); }
	|	array_head type_spec		{ $$ = type_array($1, $2); }
	|	'^' type_spec			{ $$ = type_pointer($2); }
	|	struct_head type_spec		{ $$ = type_struct($1, $2); }
	|	cstring_spec			{ $$ = $1; }
	|	native_type_spec		{ $$ = $1; }
	;

native_type_spec: T_POINTERTO '(' type_phrase ')'
		{ error("PointerTo() native types are not supported"); $$ = dummy_type(); }
	|	T_POINTERTOIFNOT '(' type_phrase ',' type_phrase ')'
		{ error("PointerToIfNot() native types are not supported"); $$ = dummy_type(); }
	|	T_VALUEOF '(' type_phrase ')'
		{ error("ValueOf() native types are not supported"); $$ = dummy_type(); }
	;

type_phrase:	T_IDENT			{ $$ = $1; }
	|	type_phrase T_IDENT	{ $$ = xasprintf("%s %s", $1, $2); }
	;

basic_type_spec: ipc_type
		{ $$ = type_short($1.in, $1.instr, $1.out, $1.outstr, $1.bits); }
	|	'(' ipc_type ',' intexp ipcflags ')'
		{ error("long form type declarations aren't allowed any longer"); $$ = dummy_type(); }
	;

prim_ipc_type:	T_NUMBER
		{ $$.in = $$.out = $1; $$.instr = $$.outstr = NULL; $$.bits = 0; }
	|	T_SYMTYPE			{ $$ = $1; }
	;

ipc_type:	prim_ipc_type			{ $$ = $1; }
	|	prim_ipc_type '|' prim_ipc_type
		{
			if ($1.bits != $3.bits && $1.bits && $3.bits) {
				error("sizes in IPCTypes (%u, %u) aren't equal", $1.bits, $3.bits);
				$$.bits = 0;
			} else {
				$$.bits = $1.bits ? $1.bits : $3.bits;
			}
			$$.in = $1.in;
			$$.instr = $1.instr;
			$$.out = $3.out;
			$$.outstr = $3.outstr;
		}
	;

var_array_head:	T_ARRAY '[' ']' T_OF			{ $$ = 0; }
	|	T_ARRAY '[' '*' ']' T_OF		{ $$ = 0; }
	|	T_ARRAY '[' '*' ':' intexp0 ']' T_OF	{ $$ = $5; }
	;

array_head:	T_ARRAY '[' intexp0 ']' T_OF		{ $$ = $3; }
	;

struct_head:	T_STRUCT '[' intexp0 ']' T_OF		{ $$ = $3; }
	;

cstring_spec:	T_CSTRING '[' intexp0 ']'		{ $$ = type_cstring($3, false); }
	|	T_CSTRING '[' '*' ':' intexp0 ']'	{ $$ = type_cstring($5, true); }
	|	T_CSTRING '[' ']'
		{ error("c_string needs a bound: c_string[N] or c_string[*:N]"); $$ = dummy_type(); }
	|	T_CSTRING '[' '*' ']'
		{ error("c_string needs a bound: c_string[*:N]"); $$ = dummy_type(); }
	;

intexp0:	intexp				{ $$ = intexp_check($1); }
	;

intexp:		intexp '+' intexp		{ $$ = $1 + $3; if ($$ > 0xffffffffull) $$ = 0xffffffffffull; }
	|	intexp '-' intexp
		{
			if ($3 > $1) {
				error("negative value in array bound");
				$$ = 1;
			} else {
				$$ = $1 - $3;
			}
		}
	|	intexp '*' intexp
		{ $$ = ($1 && $3 > 0xffffffffull / $1) ? 0xffffffffffull : $1 * $3; }
	|	intexp '/' intexp
		{
			if ($3 == 0) {
				error("division by zero in array bound");
				$$ = 1;
			} else {
				$$ = $1 / $3;
			}
		}
	|	T_NUMBER			{ $$ = $1; }
	|	'(' intexp ')'			{ $$ = $2; }
	;

routine_decl:	T_ROUTINE T_IDENT arguments		{ $$ = routine_new($2, false, $3); }
	|	T_SIMPLEROUTINE T_IDENT arguments	{ $$ = routine_new($2, true, $3); }
	;

arguments:	'(' ')'				{ $$ = NULL; }
	|	'(' arg_list ')'		{ $$ = $2; check_duplicate_args($2); }
	;

arg_list:	argument			{ $$ = $1; }
	|	trailer				{ $$ = $1; }
	|	argument ';' arg_list		{ $$ = $1; $$->next = $3; }
	|	trailer ';' arg_list		{ $$ = $1; $$->next = $3; }
	;

argument:	direction T_IDENT arg_type ipcflags
		{
			$$ = arg_new();
			$$->role = (enum arg_role)($1 & 0xff);
			$$->bits = $1 & ~0xffull;
			$$->name = $2;
			$$->type = $3;
			$$->flags = $4;
		}
	;

trailer:	T_SERVERIMPL T_IDENT arg_type
		{ error("ServerImpl arguments are not supported"); $$ = arg_new(); $$->name = $2; $$->type = $3; $$->role = R_NORMAL; $$->bits = B_USERARG | B_SERVERARG | B_REQUEST | B_SENDBITS; }
	|	T_USERIMPL T_IDENT arg_type
		{ error("UserImpl arguments are not supported"); $$ = arg_new(); $$->name = $2; $$->type = $3; $$->role = R_NORMAL; $$->bits = B_USERARG | B_SERVERARG | B_REQUEST | B_SENDBITS; }
	;

direction:	%empty			{ $$ = R_NONE; }
	|	T_IN			{ $$ = R_NORMAL | B_USERARG | B_SERVERARG | B_REQUEST | B_SENDBITS; }
	|	T_OUT			{ $$ = R_NORMAL | B_USERARG | B_SERVERARG | B_REPLY | B_RETURNBITS; }
	|	T_INOUT			{ $$ = R_NORMAL | B_USERARG | B_SERVERARG | B_REQUEST | B_REPLY |
					       B_SENDBITS | B_RETURNBITS | B_REPLYCOPY; }
	|	T_REQUESTPORT		{ $$ = R_REQUEST_PORT | B_USERARG | B_SERVERARG | B_SEND |
					       B_SENDSND | B_SENDRCV; }
	|	T_REPLYPORT		{ $$ = R_REPLY_PORT | B_USERARG | B_SERVERARG | B_SEND |
					       B_SENDSND | B_SENDRCV; }
	|	T_SREPLYPORT		{ $$ = R_REPLY_PORT | B_SERVERARG | B_SEND | B_SENDSND | B_SENDRCV; }
	|	T_UREPLYPORT		{ $$ = R_REPLY_PORT | B_USERARG | B_SEND | B_SENDSND | B_SENDRCV; }
	|	T_WAITTIME		{ $$ = R_WAIT_TIME | B_USERARG; }
	|	T_SENDTIME		{ $$ = R_SEND_TIME | B_USERARG; }
	|	T_MSGOPTION		{ $$ = R_MSG_OPTION | B_USERARG; }
	|	T_SECTOKEN		{ $$ = R_SECTOKEN | B_SERVERARG | B_SERVERIMPLICIT | B_SEND |
					       B_SENDRCV | B_USERARG | B_USERIMPLICIT | B_RETURN |
					       B_RETURNRCV; }
	|	T_SERVERSECTOKEN	{ $$ = R_SECTOKEN | B_SERVERARG | B_SERVERIMPLICIT | B_SEND |
					       B_SENDRCV; }
	|	T_USERSECTOKEN		{ $$ = R_SECTOKEN | B_USERARG | B_USERIMPLICIT | B_RETURN |
					       B_RETURNRCV; }
	|	T_AUDITTOKEN		{ $$ = R_AUDITTOKEN | B_SERVERARG | B_SERVERIMPLICIT | B_SEND |
					       B_SENDRCV | B_USERARG | B_USERIMPLICIT | B_RETURN |
					       B_RETURNRCV; }
	|	T_SERVERAUDITTOKEN	{ $$ = R_AUDITTOKEN | B_SERVERARG | B_SERVERIMPLICIT | B_SEND |
					       B_SENDRCV; }
	|	T_USERAUDITTOKEN	{ $$ = R_AUDITTOKEN | B_USERARG | B_USERIMPLICIT | B_RETURN |
					       B_RETURNRCV; }
	|	T_SERVERCONTEXTTOKEN	{ $$ = R_CONTEXTTOKEN | B_SERVERARG | B_SERVERIMPLICIT | B_SEND |
					       B_SENDRCV; }
	|	T_MSGSEQNO		{ $$ = R_MSG_SEQNO | B_SERVERARG | B_SERVERIMPLICIT | B_SEND |
					       B_SENDRCV; }
	;

arg_type:	':' T_IDENT
		{
			$$ = type_lookup($2);
			if (!$$) {
				error("type '%s' not defined", $2);
				$$ = dummy_type();
			}
		}
	|	':' named_type_spec		{ $$ = $2; }
	|	':' native_type_spec		{ $$ = $2; }
	;

ipcflags:	%empty				{ $$ = 0; }
	|	ipcflags ',' T_IPCFLAG
		{
			if ($1 & $3)
				warn("redundant IPC flag ignored");
			$$ = $1 | $3;
		}
	|	ipcflags ',' T_IPCFLAG '[' ']'
		{
			$$ = $1;
			if ($3 != F_DEALLOC)
				warn("only Dealloc is variable");
			else
				$$ |= F_MAYBEDEALLOC;
		}
	;

%%

static void mig_yyerror(const char *msg)
{
	error("%s", msg);
}

static unsigned intexp_check(uint64_t v)
{
	if (v > 0x7fffffffull) {
		error("array bound is too large");
		return 1;
	}
	return (unsigned)v;
}

static struct mtype *dummy_type(void)
{
	struct mtype *t = type_short(MT_INTEGER_32, "MACH_MSG_TYPE_INTEGER_32", MT_INTEGER_32,
				     "MACH_MSG_TYPE_INTEGER_32", 32);

	type_declared("int", t);
	return t;
}

static void check_duplicate_args(struct arg *args)
{
	struct arg *a, *b;

	for (a = args; a; a = a->next)
		for (b = a->next; b; b = b->next)
			if (a->name && b->name && strcmp(a->name, b->name) == 0)
				error_at(b->decl_file, b->decl_line, "argument '%s' declared twice",
					 b->name);
}

static void check_routine_name(struct routine *rt)
{
	struct stmt *s;

	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE && strcmp(s->routine->name, rt->name) == 0) {
			error_at(rt->decl_file, rt->decl_line,
				 "routine '%s' already declared at %s:%d (msgh_id %u)", rt->name,
				 s->routine->decl_file, s->routine->decl_line,
				 S.base + s->routine->number);
			return;
		}
}
