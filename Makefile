# caseterm — plain GNU make, pkg-config, generated header dependencies.
#
#   make              build everything into build/
#   make check        run the whole test suite (T=name runs one test)
#   make demo         install missing packages (as root), build, start a demo
#   make install      install under $(DESTDIR)$(PREFIX)

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
DATADIR    ?= $(PREFIX)/share/caseterm
LOCALEDIR  ?= $(PREFIX)/share/locale
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc/caseterm
STATEDIR   ?= /var/lib/caseterm

CC      ?= cc
PKG_CONFIG ?= pkg-config
B       := build

PKGS     := libssh ncursesw libpq libconfig
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	    -Wmissing-prototypes -Wno-unused-parameter -fstack-protector-strong
CPPFLAGS += -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -Isrc -I$(B) \
	    $(shell $(PKG_CONFIG) --cflags $(PKGS))
DEPFLAGS  = -MMD -MP
LDLIBS_COMMON = $(shell $(PKG_CONFIG) --libs libpq libconfig) -lcrypt

COMMON_SRC := src/xmalloc.c src/log.c src/config.c src/db.c src/auth.c src/wcstr.c \
	      src/idcard.c src/passwd.c src/form-load.c src/menu-load.c \
	      src/form-field.c src/form-choice.c src/form-source.c \
	      src/form-write.c
SERVER_SRC := src/casetermd.c src/server.c src/server-hostkey.c \
	      src/server-session.c src/server-auth.c src/server-channel.c
UI_SRC     := src/caseterm.c src/ui.c src/ui-lock.c src/ui-login.c src/ui-menu.c \
	      src/ui-list.c src/form.c src/form-draw.c src/form-draft.c \
	      src/form-person.c src/picklist.c src/edit.c \
	      src/screen.c src/screen-intake.c src/screen-mediation.c \
	      src/screen-cases.c src/screen-case.c src/screen-inbox.c \
	      src/case-action.c src/case-facts.c src/case-receipt.c \
	      src/case-reveal.c \
	      src/dialog.c src/pager.c src/screen-users.c \
	      src/screen-sessions.c src/screen-units.c src/screen-audit.c \
	      src/screen-figures.c src/screen-dashboard.c \
	      src/screen-zero.c src/screen-knowledge.c src/screen-tables.c
CTL_SRC    := src/casetermctl.c src/ctl-migrate.c src/ctl-demo.c \
	      src/ctl-user.c src/ctl-session.c src/ctl-calendar.c
CTL_SRC    += src/ctl-admin.c src/ctl-audit.c src/ctl-knowledge.c

obj = $(patsubst src/%.c,$(B)/%.o,$(1))

PROGS := $(B)/casetermd $(B)/caseterm $(B)/casetermctl

# Test programs: unit tests (cmocka) and end-to-end tests (harness).
UNIT_SRC  := $(wildcard tests/unit/test-*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
E2E_SRC   := $(wildcard tests/e2e/test-*.c)
E2E_BIN   := $(patsubst tests/e2e/%.c,$(B)/tests/%,$(E2E_SRC))
HARNESS   := $(B)/tests/harness/term.o $(B)/tests/e2e/e2e.o
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

LINGUAS := $(shell cat po/LINGUAS)
MO := $(patsubst %,$(B)/locale/%/LC_MESSAGES/caseterm.mo,$(LINGUAS))

.PHONY: all check demo install clean bench pot tests FORCE
.PRECIOUS: $(B)/tests/%.o
all: $(PROGS) $(MO)

# The installation paths, rewritten only when they change, so that
# `make install PREFIX=/usr` after a plain `make` rebuilds what uses them.
PATHS_H = \#define CT_SYSCONFDIR "$(SYSCONFDIR)"\n\#define CT_DATADIR "$(DATADIR)"\n\#define CT_LOCALEDIR "$(LOCALEDIR)"\n\#define CT_BINDIR "$(BINDIR)"\n\#define CT_STATEDIR "$(STATEDIR)"
$(B)/paths.h: FORCE
	@mkdir -p $(@D)
	@printf '$(PATHS_H)\n' > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@
FORCE:
$(B)/config.o: $(B)/paths.h

$(B)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/casetermd: $(call obj,$(SERVER_SRC) $(COMMON_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libssh) \
		$(LDLIBS_COMMON) -lutil

$(B)/caseterm: $(call obj,$(UI_SRC) $(COMMON_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs ncursesw) \
		$(LDLIBS_COMMON)

$(B)/casetermctl: $(call obj,$(CTL_SRC) $(COMMON_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_COMMON)

$(B)/locale/%/LC_MESSAGES/caseterm.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# --- tests ---------------------------------------------------------------
$(B)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests -Itests/harness $(shell $(PKG_CONFIG) --cflags vterm cmocka) \
		$(CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/tests/test-%: $(B)/tests/unit/test-%.o $(call obj,$(COMMON_SRC) src/edit.c)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LDLIBS_COMMON)

$(B)/tests/test-e2e-%: $(B)/tests/e2e/test-e2e-%.o $(HARNESS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) \
		$(shell $(PKG_CONFIG) --libs libssh vterm)

$(B)/tests/term-shot: $(B)/tests/harness/term-shot.o $(B)/tests/harness/term.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libssh vterm)

tests: all $(UNIT_BIN) $(E2E_BIN) $(B)/tests/term-shot

# --- bench: the form engine's bytes per key and time to open a form ------
BENCH_SRC := $(wildcard tests/bench/bench-*.c)
BENCH_BIN := $(patsubst tests/bench/%.c,$(B)/tests/%,$(BENCH_SRC))

$(B)/tests/bench-%: $(B)/tests/bench/bench-%.o $(B)/tests/harness/term.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libssh vterm)

bench: all $(BENCH_BIN)
	CT_BUILD=$(B) tests/bench/run $(N)

# The form bench alone (N=50: more runs of each measure).
.PHONY: bench-form
bench-form: all $(BENCH_BIN)
	CT_BUILD=$(B) tests/bench/run $(N)

# --- bench-ssh: casetermd against sshd + ForceCommand, and every other ---
# tests/bench/*.sh: `make bench` runs them first (make -k bench goes on to
# tests/bench/run when one fails).
$(B)/tests/ssh-bench: $(B)/tests/bench/ssh-bench.o $(B)/tests/harness/term.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ \
		$(shell $(PKG_CONFIG) --libs libssh vterm libpq)

.PHONY: bench-sh
bench: bench-sh
bench-sh: all $(B)/tests/ssh-bench
	@rc=0; for s in tests/bench/*.sh; do \
		echo "== $$s"; CT_BUILD=$(B) $$s || rc=1; \
	done; exit $$rc

# Packages first (installed as root, else the apt-get line is printed), then
# a fresh make so that pkg-config sees them.
check:
	scripts/deps
	$(MAKE) tests
	tests/run $(T)

demo:
	scripts/demo

# --- translations --------------------------------------------------------
# Form labels and database messages are msgids too: scripts/po-strings.
pot:
	scripts/pot po/caseterm.pot
	for l in $(LINGUAS); do msgmerge -q -U --backup=none po/$$l.po po/caseterm.pot; done

# --- install -------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR)/forms \
		$(DESTDIR)$(DATADIR)/sql $(DESTDIR)$(DATADIR)/data/holiday-cn \
		$(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8
	install -m 755 $(B)/caseterm $(DESTDIR)$(BINDIR)/caseterm
	install -m 755 $(B)/casetermd $(B)/casetermctl $(DESTDIR)$(SBINDIR)/
	install -m 644 forms/*.conf forms/README $(DESTDIR)$(DATADIR)/forms/
	install -m 644 sql/*.sql $(DESTDIR)$(DATADIR)/sql/
	install -m 644 data/*.csv data/*.txt $(DESTDIR)$(DATADIR)/data/
	install -m 644 data/holiday-cn/* $(DESTDIR)$(DATADIR)/data/holiday-cn/
	install -m 644 conf/caseterm.conf $(DESTDIR)$(SYSCONFDIR)/caseterm.conf.example
	install -m 644 man/caseterm.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/caseterm.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/casetermd.8 man/casetermctl.8 $(DESTDIR)$(MANDIR)/man8/
	for m in $(MO); do l=$${m#$(B)/locale/}; install -D -m 644 $$m \
		$(DESTDIR)$(LOCALEDIR)/$$l; done

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
