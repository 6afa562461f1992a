/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <servers/netname.h>: Mach's network name service, the interface of the
 * CMU netmsgserver (netname.defs, subsystem 1040) answered by machnetd(8).
 *
 * A server checks a port in under a name; a client on any host looks it up
 * by host and name and gets a send right (a proxy when the port lives on
 * another host).  Host "" or "*" searches this host first, then every peer.
 *
 * Values, types and message layouts are the historical ones; the two
 * calls marked "extension" are this project's own.
 */
#ifndef _SERVERS_NETNAME_H_
#define _SERVERS_NETNAME_H_

#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <servers/netname_defs.h>

#ifdef __cplusplus
extern "C" {
#endif


/* The bootstrap name under which machnetd registers its service port. */
#define MACHNETD_SERVICE_NAME	"org.mach.machnetd"

/*
 * Register port_id under port_name.  As in netname.defs, port_id is sent
 * with MAKE_SEND (the caller holds its receive right) and signature with
 * COPY_SEND; the same signature is needed to check the name out.
 */
kern_return_t netname_check_in(mach_port_t server_port, const char *port_name,
			       mach_port_t signature, mach_port_t port_id);

/* A send right to the port checked in as port_name on host_name. */
kern_return_t netname_look_up(mach_port_t server_port, const char *host_name,
			      const char *port_name, mach_port_t *port_id);

kern_return_t netname_check_out(mach_port_t server_port, const char *port_name,
				mach_port_t signature);

/* The server's version string (a netname_name_t). */
kern_return_t netname_version(mach_port_t server_port, char *version);

/*
 * Extension: a send right to machnetd's service port, looked up in the
 * caller's bootstrap as MACHNETD_SERVICE_NAME (deallocate it when done).
 */
kern_return_t netname_server_port(mach_port_t *server_port);

/*
 * Extension: the name of the host that holds the receive right of the port
 * the caller names with port (a send or send-once right, not consumed; e.g.
 * a request's reply port).  host must have room for a netname_name_t.  A
 * port of this host answers this host's name.  NETNAME_INVALID_PORT when
 * the caller holds no such right.
 */
kern_return_t netname_sender_host(mach_port_t server_port, mach_port_t port,
				  char *host);

/*
 * Historical global: Mach 3.0's mach_init set it to the netname server.
 * Here it starts as MACH_PORT_NULL; netname_server_port(&name_server_port)
 * fills it for programs written against the old convention.
 */
extern mach_port_t name_server_port;

#ifdef __cplusplus
}
#endif

#endif /* _SERVERS_NETNAME_H_ */
