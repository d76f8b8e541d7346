/*
 * e2e.c — see e2e.h.
 */
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
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
e2e_open_case(struct term *t, const char *no)
{
	e2e_choose(t, "案件查询");
	e2e_expect(t, "填写任意一项，按 F2 查询");
	e2e_type(t, no);
	e2e_key(t, "F2");
	e2e_expect(t, no);
	e2e_key(t, "Enter");
	e2e_expect(t, "F5 办理");
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

static char *
e2e_slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	long	 n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

bool
e2e_log_has(const char *log, const char *text)
{
	char	*all = e2e_slurp(log);
	bool	 has = strstr(all, text) != NULL;

	free(all);
	return has;
}

void
e2e_server_start(struct e2e_server *sv, const char *name, const char *extra)
{
	const char	*dir = getenv("CT_TEST_DIR"), *top = getenv("CT_TOP");
	const char	*build = getenv("CT_BUILD");
	char		*base, *bin, *p;
	FILE		*f;
	int		 i, fd;

	if (dir == NULL || top == NULL)
		fail_msg("run through tests/run");
	base = e2e_slurp(getenv("CT_TEST_CONF"));
	if (asprintf(&sv->conf, "%s/%s.conf", dir, name) < 0 ||
	    asprintf(&sv->log, "%s/%s.log", dir, name) < 0 ||
	    asprintf(&bin, "%s/%s/casetermd", top, build ? build : "build") < 0)
		fail();
	f = fopen(sv->conf, "w");
	assert_non_null(f);
	/* A one-line group of the base that extra sets again is dropped. */
	for (p = strtok(base, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		char group[64];
		if (sscanf(p, "%63[a-z_] = {", group) == 1 &&
		    strchr(p, '}') != NULL) {
			strcat(group, " = {");
			if (strstr(extra, group) != NULL)
				continue;
		}
		fprintf(f, "%s\n", p);
	}
	fprintf(f, "%s\n", extra);
	fclose(f);
	free(base);
	unlink(sv->log);
	if ((sv->pid = fork()) == 0) {
		fd = open(sv->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(bin, "casetermd", "-f", sv->conf, (char *)NULL);
		_exit(127);
	}
	free(bin);
	for (i = 0; i < 100; i++) {
		char *log = e2e_slurp(sv->log);
		if ((p = strstr(log, "listening on ")) != NULL &&
		    (p = strstr(p, " port ")) != NULL) {
			sv->port = atoi(p + 6);
			free(log);
			return;
		}
		free(log);
		usleep(100 * 1000);
	}
	fprintf(stderr, "%s", e2e_slurp(sv->log));
	fail_msg("casetermd %s did not start", name);
}

int
e2e_server_stop(struct e2e_server *sv)
{
	int	 status = -1;

	if (sv->pid > 0) {
		kill(sv->pid, SIGTERM);
		waitpid(sv->pid, &status, 0);
		sv->pid = 0;
	}
	free(sv->conf);
	free(sv->log);
	sv->conf = sv->log = NULL;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct term *
e2e_open_at(int port, const char *user, const char *password)
{
	struct term	*t;
	char		*err = NULL;

	t = term_open(e2e_host(), port, user, password, "xterm-256color", 80,
	    24, &err);
	if (t == NULL)
		fail_msg("login as %s on port %d failed: %s", user, port, err);
	return t;
}

void
e2e_sh(const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd;
	int	 rc;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		fail();
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
	free(cmd);
}

char *
e2e_sql(const char *query)
{
	char	*cmd, buf[512] = "";
	FILE	*p;

	if (asprintf(&cmd, "psql -X -At -h %s -U postgres caseterm -c \"%s\"",
	    getenv("CT_TEST_SOCK"), query) < 0)
		fail();
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	if (fgets(buf, sizeof buf, p) == NULL)
		buf[0] = '\0';
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

char *
e2e_wait_re(struct term *t, const char *re)
{
	char	*hit = NULL;
	int	 waited;

	for (waited = 0; waited < E2E_TIMEOUT; waited += 100) {
		if ((hit = e2e_find(t, re)) != NULL)
			break;
		term_settle(t, 100, 100);
	}
	return hit;
}

void
e2e_choose_at(struct term *t, const char *label, const char *file, int line)
{
	char	*re, *hit, key[2];

	if (asprintf(&re, "([0-9a-z])  %s", label) < 0)
		fail();
	/* Wait for the item itself: the label alone may stand elsewhere. */
	hit = e2e_wait_re(t, re);
	free(re);
	if (hit == NULL)
		e2e_fail(t, file, line, "no numbered item", label);
	key[0] = hit[0];
	key[1] = '\0';
	free(hit);
	e2e_type(t, key);
}
