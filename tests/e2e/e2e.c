/*
 * e2e.c — see e2e.h.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

const char *
e2e_host(void)
{
	const char	*h = getenv("CT_TEST_HOST");

	return h != NULL ? h : "127.0.0.1";
}

int
e2e_port(void)
{
	const char	*p = getenv("CT_TEST_PORT");

	if (p == NULL)
		fail_msg("CT_TEST_PORT is not set: run the test through tests/run");
	return atoi(p);
}

struct term *
e2e_open_size(const char *user, const char *password, const char *termtype,
    int cols, int rows)
{
	struct term	*t;
	char		*err = NULL;

	t = term_open(e2e_host(), e2e_port(), user, password, termtype, cols,
	    rows, &err);
	if (t == NULL)
		fail_msg("login as %s failed: %s", user, err);
	return t;
}

struct term *
e2e_open(const char *user, const char *password)
{
	return e2e_open_size(user, password, "xterm-256color", 80, 24);
}

static void
e2e_fail(struct term *t, const char *file, int line, const char *what,
    const char *text)
{
	fprintf(stderr, "%s:%d: %s \"%s\"; the screen was:\n", file, line,
	    what, text);
	term_dump(t, stderr);
	fflush(stderr);
	fail_msg("%s:%d: %s \"%s\"", file, line, what, text);
}

void
e2e_expect_at(struct term *t, const char *text, const char *file, int line)
{
	if (!term_wait(t, text, E2E_TIMEOUT))
		e2e_fail(t, file, line, "expected on screen:", text);
}

void
e2e_expect_gone_at(struct term *t, const char *text, const char *file,
    int line)
{
	if (!term_wait_gone(t, text, E2E_TIMEOUT))
		e2e_fail(t, file, line, "expected to disappear:", text);
}

void
e2e_expect_not_at(struct term *t, const char *text, const char *file,
    int line)
{
	term_settle(t, 300, E2E_TIMEOUT);
	if (term_contains(t, text))
		e2e_fail(t, file, line, "expected NOT on screen:", text);
}

void
e2e_key(struct term *t, const char *name)
{
	if (term_key(t, name) != 0)
		fail_msg("cannot send key %s", name);
}

void
e2e_type(struct term *t, const char *text)
{
	if (term_send(t, text) != 0)
		fail_msg("cannot send \"%s\"", text);
}

char *
e2e_find(struct term *t, const char *re)
{
	regex_t		 rx;
	regmatch_t	 m;
	char		*screen, *hit = NULL;

	if (regcomp(&rx, re, REG_EXTENDED) != 0)
		fail_msg("bad regex %s", re);
	screen = term_screen(t);
	if (regexec(&rx, screen, 1, &m, 0) == 0)
		hit = strndup(screen + m.rm_so, (size_t)(m.rm_eo - m.rm_so));
	free(screen);
	regfree(&rx);
	return hit;
}

void
e2e_logout(struct term *t)
{
	int	 status = -1;

	e2e_key(t, "F10");
	if (!term_wait_closed(t, E2E_TIMEOUT, &status)) {
		fprintf(stderr, "the session did not end after F10:\n");
		term_dump(t, stderr);
		fail_msg("session did not end after F10");
	}
	assert_int_equal(status, 0);
	term_close(t);
}
