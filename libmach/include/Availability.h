/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <Availability.h>: macOS's API availability annotations.  Code written for
 * macOS includes it (every header mig writes does), and Apple's headers tag
 * declarations with these macros; on Linux they all expand to nothing.
 * The __MAC_* / __IPHONE_* version numbers are defined so comparisons
 * against them compile, but no __MAC_OS_X_VERSION_MIN_REQUIRED is set:
 * this is not macOS.
 */
#ifndef _LIBMACH_AVAILABILITY_H_
#define _LIBMACH_AVAILABILITY_H_

#define __MAC_10_0	1000
#define __MAC_10_1	1010
#define __MAC_10_2	1020
#define __MAC_10_3	1030
#define __MAC_10_4	1040
#define __MAC_10_5	1050
#define __MAC_10_6	1060
#define __MAC_10_7	1070
#define __MAC_10_8	1080
#define __MAC_10_9	1090
#define __MAC_10_10	101000
#define __MAC_10_11	101100
#define __MAC_10_12	101200
#define __MAC_10_13	101300
#define __MAC_10_14	101400
#define __MAC_10_15	101500
#define __MAC_11_0	110000
#define __MAC_12_0	120000
#define __MAC_13_0	130000
#define __MAC_14_0	140000
#define __MAC_NA	9999
#define __IPHONE_2_0	20000
#define __IPHONE_NA	99999

#define __OSX_AVAILABLE(v)
#define __OSX_UNAVAILABLE
#define __OSX_DEPRECATED(s, e, m)
#define __IOS_AVAILABLE(v)
#define __IOS_PROHIBITED
#define __IOS_UNAVAILABLE
#define __IOS_DEPRECATED(s, e, m)
#define __TVOS_AVAILABLE(v)
#define __TVOS_PROHIBITED
#define __TVOS_UNAVAILABLE
#define __WATCHOS_AVAILABLE(v)
#define __WATCHOS_PROHIBITED
#define __WATCHOS_UNAVAILABLE
#define __OSX_AVAILABLE_STARTING(mac, ios)
#define __OSX_AVAILABLE_BUT_DEPRECATED(ms, md, is, id)
#define __OSX_AVAILABLE_BUT_DEPRECATED_MSG(ms, md, is, id, msg)
#define __OSX_EXTENSION_UNAVAILABLE(m)
#define __IOS_EXTENSION_UNAVAILABLE(m)
#define __OS_EXTENSION_UNAVAILABLE(m)

#define __API_AVAILABLE(...)
#define __API_DEPRECATED(...)
#define __API_DEPRECATED_WITH_REPLACEMENT(...)
#define __API_UNAVAILABLE(...)
#define __SPI_AVAILABLE(...)

#ifndef API_AVAILABLE
#define API_AVAILABLE(...)
#endif
#ifndef API_UNAVAILABLE
#define API_UNAVAILABLE(...)
#endif
#ifndef API_DEPRECATED
#define API_DEPRECATED(...)
#endif
#ifndef API_DEPRECATED_WITH_REPLACEMENT
#define API_DEPRECATED_WITH_REPLACEMENT(...)
#endif
#ifndef SPI_AVAILABLE
#define SPI_AVAILABLE(...)
#endif

#endif /* _LIBMACH_AVAILABILITY_H_ */
