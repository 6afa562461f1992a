/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/ndr.h>: the Network Data Representation tag MIG puts in every
 * message that carries plain data, telling the receiver the sender's
 * byte order, character set and float format.
 */
#ifndef _MACH_NDR_H_
#define _MACH_NDR_H_

#include <stdint.h>
#include <sys/cdefs.h>

typedef struct {
	unsigned char	mig_vers;
	unsigned char	if_vers;
	unsigned char	reserved1;
	unsigned char	mig_encoding;
	unsigned char	int_rep;
	unsigned char	char_rep;
	unsigned char	float_rep;
	unsigned char	reserved2;
} NDR_record_t;

#define NDR_PROTOCOL_2_0	0

#define NDR_INT_BIG_ENDIAN	0
#define NDR_INT_LITTLE_ENDIAN	1

#define NDR_FLOAT_IEEE		0
#define NDR_FLOAT_VAX		1
#define NDR_FLOAT_CRAY		2
#define NDR_FLOAT_IBM		3

#define NDR_CHAR_ASCII		0
#define NDR_CHAR_EBCDIC		1

__BEGIN_DECLS

/* This host's representation (little-endian, ASCII, IEEE). */
extern NDR_record_t NDR_record;

__END_DECLS

/*
 * Senders and receivers share one representation here, so MIG's optional
 * conversion hooks are never needed; MIG skips them when these are unset.
 */
#ifndef __NDR_convert__
#define __NDR_convert__ 0
#endif
#ifndef __NDR_convert__int_rep__
#define __NDR_convert__int_rep__ __NDR_convert__
#endif
#ifndef __NDR_convert__char_rep__
#define __NDR_convert__char_rep__ __NDR_convert__
#endif
#ifndef __NDR_convert__float_rep__
#define __NDR_convert__float_rep__ __NDR_convert__
#endif

#endif /* _MACH_NDR_H_ */
