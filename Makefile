# SPDX-License-Identifier: GPL-2.0
#
# Top-level build for Mach IPC for Linux.
#
#   make            module (against KDIR), libmach, selftests, tools
#   make check      full VM test matrix (debug 6.1, debug 6.12, stock 6.1)
#   make run        show it working (host if it can load modules, else a VM)
#   make install    install module, headers, library, tools

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
export PREFIX

.PHONY: all module libmach selftests tools check run bench stress install uninstall clean

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

# KERNELS="debug-6.1 stock-6.1" picks part of the matrix; EXTRA_TESTS=DIR adds
# programs written as ordinary macOS Mach code (see testing/README.md).
check:
	testing/check.sh $(if $(KERNELS),--kernels "$(KERNELS)") \
		$(if $(EXTRA_TESTS),--extra-tests "$(abspath $(EXTRA_TESTS))")

run:
	testing/run.sh

.PHONY: dkms-check
dkms-check:
	testing/dkms-check.sh

bench: libmach
	testing/bench.sh

# Module into /lib/modules (or use DKMS: see README), library, headers,
# pkg-config file, machd and its systemd unit.
install: all
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) modules_install; \
	else echo "note: no kernel tree at $(KDIR); module not installed"; fi
	$(MAKE) -C libmach install
	$(MAKE) -C tools install

uninstall:
	rm -f /lib/modules/$(shell uname -r)/updates/mach.ko \
	      /lib/modules/$(shell uname -r)/extra/mach.ko
	$(MAKE) -C libmach uninstall
	$(MAKE) -C tools uninstall

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C libmach clean
	$(MAKE) -C selftests clean
	$(MAKE) -C tools clean
	$(MAKE) -C tools/lsmp clean
