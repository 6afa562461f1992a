/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <TargetConditionals.h>: the TARGET_* macros macOS code tests to pick a
 * platform.  Apple's mig writes an include of it into the stubs of some
 * subsystems (KernelServer, UseSpecialReplyPort), and much portable code
 * includes it directly.
 *
 * libmach provides macOS's Mach API, so the macOS family is selected
 * (TARGET_OS_MAC, TARGET_OS_OSX) and the embedded ones are not; code that
 * needs to know it runs on Linux can test TARGET_OS_LINUX, which is 1 here
 * (Apple's own header defines it as 0).  Every macro is defined, to 0 or
 * 1, so that "#if TARGET_OS_X" works under -Wundef.
 */
#ifndef _LIBMACH_TARGETCONDITIONALS_H_
#define _LIBMACH_TARGETCONDITIONALS_H_

#define TARGET_OS_MAC			1
#define TARGET_OS_OSX			1
#define TARGET_OS_LINUX			1
#define TARGET_OS_UNIX			0
#define TARGET_OS_WIN32			0
#define TARGET_OS_WINDOWS		0
#define TARGET_OS_IPHONE		0
#define TARGET_OS_IOS			0
#define TARGET_OS_MACCATALYST		0
#define TARGET_OS_WATCH			0
#define TARGET_OS_TV			0
#define TARGET_OS_VISION		0
#define TARGET_OS_BRIDGE		0
#define TARGET_OS_DRIVERKIT		0
#define TARGET_OS_EMBEDDED		0
#define TARGET_OS_SIMULATOR		0
#define TARGET_IPHONE_SIMULATOR		0
#define TARGET_OS_NANO			0

#if defined(__x86_64__)
#define TARGET_CPU_X86_64		1
#else
#define TARGET_CPU_X86_64		0
#endif
#if defined(__i386__)
#define TARGET_CPU_X86			1
#else
#define TARGET_CPU_X86			0
#endif
#if defined(__aarch64__)
#define TARGET_CPU_ARM64		1
#else
#define TARGET_CPU_ARM64		0
#endif
#if defined(__arm__)
#define TARGET_CPU_ARM			1
#else
#define TARGET_CPU_ARM			0
#endif
#define TARGET_CPU_PPC			0
#define TARGET_CPU_PPC64		0

#if defined(__LP64__)
#define TARGET_RT_64_BIT		1
#else
#define TARGET_RT_64_BIT		0
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define TARGET_RT_BIG_ENDIAN		1
#define TARGET_RT_LITTLE_ENDIAN		0
#else
#define TARGET_RT_BIG_ENDIAN		0
#define TARGET_RT_LITTLE_ENDIAN		1
#endif
#define TARGET_RT_MAC_MACHO		0
#define TARGET_RT_MAC_CFM		0

#endif /* _LIBMACH_TARGETCONDITIONALS_H_ */
