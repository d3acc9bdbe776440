# nslab - learn how Linux containers work, one system call at a time.
#
#   make            build ./nslab (and its Korean message catalogue)
#   make rootfs     build the offline busybox root file system (rootfs/busybox)
#   make check      unit tests (cmocka) and integration tests (bats) under ASan+UBSan
#   make check-v2   the cgroup tests in a cgroup v2 VM (qemu)
#   make bench      nslab against unshare, bubblewrap, crun, lsns, pstree: medians and ratios
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the build and test dependencies (apt-get)
#   make docs       write docs-en/commands.md and docs-ko/commands.md from the command table
#   make check-provision  run vagrant/provision.sh in a fresh Debian chroot (slow)
#   make fuzz       libFuzzer targets under ASan+UBSan, FUZZ_SECONDS in all (default 40)
#   make soak       SOAK cycles (default 1000) of every kind of box in one nslab; nothing left
#   make valgrind   the unit tests built without sanitizers, under valgrind
#   make lint       clang-tidy and cppcheck on the reviewed configuration

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/nslab
LOCALEDIR ?= $(PREFIX)/share/locale
MANDIR   ?= $(PREFIX)/share/man

CC       ?= cc
PKGS     := readline ncursesw libcap libseccomp jansson md4c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lreadline -lncursesw -ltinfo -lcap -lseccomp -ljansson -lmd4c md4c)

# snprintf into fixed buffers truncates on purpose: -Wformat-truncation is noise here.
WARN     := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
# Warnings are errors where the project's own compiler builds: every test
# build (make check, its sanitizer objects, fuzz, valgrind) and WERROR=1 (CI,
# ./setup.sh test). A packager's plain `make` on a newer compiler does not
# fail on a warning that compiler added.
WERROR   ?= 0
ifeq ($(WERROR),1)
WARN     += -Werror
endif
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -D_GNU_SOURCE \
	-DNSLAB_DATADIR='"$(DATADIR)"' -DNSLAB_LOCALEDIR='"$(LOCALEDIR)"' -MMD -MP
SAN      := -Werror -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# Test hooks (NSLAB_FAULT, shell/box/fault.h) exist only in this build, never in ./nslab.
SAN_DEFS := -DNSLAB_FAULTS

SRCS     := $(shell find shell -name '*.c' | sort)
LIB_SRCS := $(filter-out shell/main.c,$(SRCS))
OBJS     := $(SRCS:%.c=build/obj/%.o)
SAN_OBJS := $(SRCS:%.c=build/asan/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:%.c=build/asan/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/unit/%)

FUZZ_CC  ?= clang
FUZZ_SAN := -Werror -Wno-unknown-warning-option -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=build/fuzz/obj/%.o)
FUZZ_SECONDS ?= 40
SOAK ?= 1000
VG_LIB_OBJS := $(LIB_SRCS:%.c=build/vg/%.o)
VG_BINS  := $(UNIT_SRCS:tests/unit/%.c=build/vg/unit/%)

PO       := $(sort $(wildcard po/ko/*.po))
MO       := build/locale/ko/LC_MESSAGES/nslab.mo

.PHONY: all rootfs check check-v2 unit bats install uninstall clean deps fuzz fuzz-build bench \
	soak i18n-check valgrind lint docs check-provision
all: nslab $(MO)

# Bind every symbol at start (full RELRO): a forked child (the box's PID 1,
# run's child) then never writes the GOT, a copy-on-write fault fewer in the
# child and in the shell for each libc function the child calls first.
LINKFLAGS ?= -Wl,-z,relro,-z,now

nslab: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LINKFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-SAN  $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) $(SAN_DEFS) -O1 -c -o $@ $<

build/asan/nslab: $(SAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/unit/%: tests/unit/%.c $(SAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -DSRCDIR='"$(CURDIR)"' -o $@ $< $(SAN_LIB_OBJS) $(PKG_LIBS) -lcmocka

# libFuzzer: the same sources, built by clang with coverage hooks.
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-FUZZ $<"
	@$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_SAN) -O1 -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ALL_CFLAGS) -Wno-unknown-warning-option -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-O1 -DSRCDIR='"$(CURDIR)"' -o $@ $< $(FUZZ_LIB_OBJS) $(PKG_LIBS)

.SECONDARY: $(FUZZ_LIB_OBJS) $(VG_LIB_OBJS)

fuzz-build: $(FUZZ_BINS)

# A short pass (CI): make fuzz. A long one: make fuzz FUZZ_SECONDS=600.
fuzz: $(FUZZ_BINS)
	bash tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# Valgrind sees what ASan does not (uninitialised reads): no sanitizers here.
build/vg/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-VG   $<"
	@$(CC) $(ALL_CFLAGS) -Werror -O1 -c -o $@ $<

build/vg/unit/%: tests/unit/%.c $(VG_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 -DSRCDIR='"$(CURDIR)"' -o $@ $< $(VG_LIB_OBJS) $(PKG_LIBS) -lcmocka

valgrind: $(VG_BINS)
	@for t in $(VG_BINS); do \
		echo "  VALGRIND $$t"; \
		valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
			--errors-for-leak-kinds=definite,indirect,possible --trace-children=no \
			--error-exitcode=1 $$t >build/vg/$$(basename $$t).log 2>&1 \
			|| { cat build/vg/$$(basename $$t).log; exit 1; }; \
		grep -E '^\[  (PASSED|FAILED) ' build/vg/$$(basename $$t).log; \
	done; echo "valgrind: no errors, no leaks"

lint:
	bash tests/lint.sh

# Every kind of box, SOAK times, through one nslab; then nothing may be left.
soak: all rootfs
	NSLAB=$(CURDIR)/nslab bash tests/soak.sh $(SOAK)

$(MO): $(PO)
	@mkdir -p $(dir $@)
	msgcat --use-first -o build/ko.po $(PO)
	msgfmt --check -o $@ build/ko.po

rootfs: rootfs/busybox/bin/sh

rootfs/busybox/bin/sh: rootfs-scripts/busybox.sh rootfs-scripts/setuid-helper.c rootfs-scripts/nslab-lab18.sh \
		rootfs-scripts/forkbomb.c
	rm -rf rootfs/busybox
	bash rootfs-scripts/busybox.sh rootfs/busybox

# Every test, under AddressSanitizer and UndefinedBehaviorSanitizer; the last
# line is "N passed, N failed, N skipped".
check: all build/asan/nslab $(UNIT_BINS) rootfs
	NSLAB=$(CURDIR)/build/asan/nslab bash tests/run-all.sh $(UNIT_BINS)

# The cgroup tests again, in a pure cgroup v2 VM (Debian's cloud kernel under
# qemu, no KVM needed); skipped with a reason where qemu cannot run.
check-v2: all rootfs
	bash tests/vm/run-v2.sh

# Not part of check: minutes long, installs its peers, wants a quiet machine.
bench: all rootfs
	bash bench/run.sh

unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

bats: all build/asan/nslab rootfs
	NSLAB=$(CURDIR)/build/asan/nslab bats tests/bats

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(LOCALEDIR)/ko/LC_MESSAGES
	install -m 755 nslab $(DESTDIR)$(BINDIR)/nslab
	install -m 644 $(MO) $(DESTDIR)$(LOCALEDIR)/ko/LC_MESSAGES/nslab.mo
	install -m 644 nslab.1 $(DESTDIR)$(MANDIR)/man1/nslab.1
	cp -r labs profiles $(DESTDIR)$(DATADIR)/
	[ ! -d demos ] || cp -r demos $(DESTDIR)$(DATADIR)/
	[ ! -d rootfs ] || cp -a rootfs $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nslab $(DESTDIR)$(MANDIR)/man1/nslab.1 \
		$(DESTDIR)$(LOCALEDIR)/ko/LC_MESSAGES/nslab.mo
	rm -rf $(DESTDIR)$(DATADIR)

deps:
	bash setup.sh deps

# The command reference is generated, so it cannot drift from the code;
# tests/bats/classroom.bats fails when the committed files are stale.
docs: nslab $(MO)
	./nslab --lang en -c 'help --markdown' > docs-en/commands.md
	./nslab --lang ko -c 'help --markdown' > docs-ko/commands.md

# The classroom provisioning script, run for real in a clean Debian chroot.
check-provision:
	bash tests/provision-test.sh

clean:
	rm -rf build nslab

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(FUZZ_LIB_OBJS:.o=.d) $(VG_LIB_OBJS:.o=.d)
