# SPDX-License-Identifier: GPL-2.0
#
# Top-level build for Mach IPC for Linux.
#
#   make            module (against KDIR), libmach, selftests, tools
#   make check      full VM test matrix (debug 6.1, debug 6.12, stock 6.1)
#   make stress     the stress programs' long forms in the debug 6.12 VM
#   make run        show it working (host if it can load modules, else a VM)
#   make install    install module, headers, library, tools, man pages
#   make uninstall  remove what make install put there
#   make install-check  stage an install in a temporary directory and test it

# KDIR: the kernel tree to build against; KVER=release picks /lib/modules/KVER/build.
ifdef KVER
KDIR ?= /lib/modules/$(KVER)/build
endif
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
export PREFIX

# Where make install puts things (all under $(DESTDIR) when it is set).  The
# systemd unit and the udev rule go under $(PREFIX)/lib, which systemd and
# udev read for PREFIX=/usr and PREFIX=/usr/local; with another PREFIX set
# SYSTEMDUNITDIR and UDEVRULESDIR (e.g. to /etc/systemd/system, /etc/udev/rules.d).
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
# install records what it created here; uninstall removes exactly that.
MANIFEST ?= $(PREFIX)/share/mach/install-manifest
# auto | dkms | kbuild | dkms-src | none (see packaging/install.sh).  auto:
# DKMS when dkms is installed, else modules_install against KDIR; nothing
# when staging into DESTDIR.
MODULE_INSTALL ?= auto

.PHONY: all module libmach selftests tools check run bench stress install uninstall \
	install-check clean

all: libmach selftests tools
	@if [ -d "$(KDIR)" ]; then $(MAKE) module; \
	else echo "note: no kernel tree at $(KDIR); module not built (set KDIR=)"; fi

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

libmach:
	$(MAKE) -C libmach

selftests: libmach
	$(MAKE) -C selftests

tools: libmach
	$(MAKE) -C tools
	$(MAKE) -C tools/lsmp
	$(MAKE) -C tools/machnetd

# KERNELS="debug-6.1 stock-6.1" picks part of the matrix; EXTRA_TESTS=DIR adds
# programs written as ordinary macOS Mach code (see testing/README.md).
check:
	testing/check.sh $(if $(KERNELS),--kernels "$(KERNELS)") \
		$(if $(EXTRA_TESTS),--extra-tests "$(abspath $(EXTRA_TESTS))")

# The long forms of stress_mix, stress_ipc, fault_storm and fuzz_ipc on the
# debug kernel (KERNELS= picks others); see README.
stress: libmach
	testing/check.sh --stress $(if $(KERNELS),--kernels "$(KERNELS)")

run:
	testing/run.sh

.PHONY: dkms-check
dkms-check:
	testing/dkms-check.sh

bench: libmach
	testing/bench.sh

# Module (DKMS or modules_install), libmach (shared and static), its headers
# and the UAPI header, mach.pc, machd and its systemd unit, lsmp when it is
# built, the udev rule and the man pages.  packaging/install.sh does the work.
INSTALL_ENV = DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' BINDIR='$(BINDIR)' \
	SBINDIR='$(SBINDIR)' LIBDIR='$(LIBDIR)' INCLUDEDIR='$(INCLUDEDIR)' \
	PKGCONFIGDIR='$(PKGCONFIGDIR)' MANDIR='$(MANDIR)' \
	SYSTEMDUNITDIR='$(SYSTEMDUNITDIR)' UDEVRULESDIR='$(UDEVRULESDIR)' \
	MANIFEST='$(MANIFEST)' MODULE_INSTALL='$(MODULE_INSTALL)' KDIR='$(KDIR)' \
	KVER='$(KVER)' MAKE='$(MAKE)'

install: libmach tools
	@$(INSTALL_ENV) $(CURDIR)/packaging/install.sh install

uninstall:
	@$(INSTALL_ENV) $(CURDIR)/packaging/install.sh uninstall

install-check: libmach tools
	testing/install-check.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C libmach clean
	$(MAKE) -C selftests clean
	$(MAKE) -C tools clean
	$(MAKE) -C tools/lsmp clean
	$(MAKE) -C tools/machnetd clean
