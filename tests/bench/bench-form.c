/*
 * bench-form — what the form engine costs a clerk's terminal and time,
 * measured over SSH with the test harness against the casetermd that
 * tests/bench/run starts:
 *
 *   - bytes the server sends per character typed into a field (ASCII and
 *     Chinese into a single-line field, Chinese into a multi-line one):
 *     a handful when only the changed cells go out, hundreds if a key
 *     redrew the screen;
 *   - the bytes of a whole page, for comparison;
 *   - the time from the menu key to a form's page being complete on the
 *     screen (consultation: 6 fields; mediation: 20 fields over 4 pages,
 *     its first page).
 *
 * usage: bench-form [runs]      (CT_TEST_HOST, CT_TEST_PORT, CT_TEST_SOCK)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "term.h"

#define TIMEOUT	10000

static struct term	*t;

static __attribute__((noreturn)) void
die(const char *what)
{
	fprintf(stderr, "bench-form: %s; the screen was:\n", what);
	if (t != NULL)
		term_dump(t, stderr);
	exit(1);
}

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
wait_for(const char *text)
{
	if (!term_wait(t, text, TIMEOUT))
		die(text);
}

static void
send_key(const char *name)
{
	if (term_key(t, name) != 0)
		die(name);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Open a form from the menu runs times: the median and slowest time until
 * last shows, and the bytes of the first page. */
static void
bench_open(const char *key, const char *last, const char *name, int runs)
{
	double	*ms = calloc((size_t)runs, sizeof *ms), start;
	size_t	 before, bytes = 0;
	int	 i;

	for (i = 0; i < runs; i++) {
		term_settle(t, 50, TIMEOUT);
		before = term_bytes_received(t);
		start = now_ms();
		term_send(t, key);
		wait_for(last);
		ms[i] = now_ms() - start;
		term_settle(t, 50, TIMEOUT);
		if (i == 0)
			bytes = term_bytes_received(t) - before;
		send_key("F3");			/* nothing typed: leaves */
		wait_for("主菜单");
	}
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	printf("open %-13s median %6.1f ms, slowest %6.1f ms (%d runs); "
	    "first page %zu bytes\n", name, ms[runs / 2], ms[runs - 1], runs,
	    bytes);
	free(ms);
}

/* Type each character of text alone, and count what comes back. */
static void
bench_typing(const char *what, const char *text)
{
	const char	*p = text;
	size_t		 before, n = 0, total = 0, d, lo = SIZE_MAX, hi = 0;
	int		 len;

	while (*p != '\0') {
		len = (*p & 0x80) == 0 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : 4;
		term_settle(t, 30, TIMEOUT);
		before = term_bytes_received(t);
		term_sendn(t, p, (size_t)len);
		term_settle(t, 30, TIMEOUT);
		d = term_bytes_received(t) - before;
		total += d;
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		n++;
		p += len;
	}
	printf("typing %-33s %5.1f bytes per character (min %zu, max %zu, "
	    "%zu characters)\n", what, (double)total / (double)n, lo, hi, n);
}

static void
no_drafts(void)
{
	char	*cmd;

	if (asprintf(&cmd, "psql -X -q -h %s -U postgres caseterm -c \"DELETE "
	    "FROM caseterm.form_draft WHERE user_id = (SELECT id FROM "
	    "caseterm.app_user WHERE login = 'zd_town')\"",
	    getenv("CT_TEST_SOCK")) < 0 || system(cmd) != 0)
		die("psql");
	free(cmd);
}

int
main(int argc, char **argv)
{
	const char	*host = getenv("CT_TEST_HOST"), *port = getenv("CT_TEST_PORT");
	char		*err = NULL;
	int		 runs = argc > 1 ? atoi(argv[1]) : 20;

	if (host == NULL || port == NULL) {
		fprintf(stderr, "bench-form: run it through tests/bench/run\n");
		return 2;
	}
	no_drafts();
	t = term_open(host, atoi(port), "zd_town", "demo1234",
	    "xterm-256color", 80, 24, &err);
	if (t == NULL) {
		fprintf(stderr, "bench-form: login: %s\n", err);
		return 1;
	}
	wait_for("主菜单");
	printf("form engine bench: zd_town over SSH, xterm-256color 80x24\n");
	bench_open("1", "来源渠道 热线来电", "consultation", runs);
	bench_open("4", "特殊群体", "mediation", runs);

	term_send(t, "1");
	wait_for("来源渠道 热线来电");
	bench_typing("ASCII into a text field", "Ouyang Minghua");
	send_key("C-u");
	bench_typing("Chinese into a text field", "欧阳明华司马相如");
	send_key("Tab");
	send_key("Tab");
	send_key("Tab");
	bench_typing("Chinese into a multi-line field",
	    "邻居装修噪音扰民，白天晚上都在施工，多次沟通无果，请问如何维权？"
	    "可以申请人民调解吗？");
	send_key("Tab");
	bench_typing("ASCII into a multi-line field", "mediation first");
	term_settle(t, 50, TIMEOUT);
	send_key("F3");
	wait_for("放弃");
	term_send(t, "y");
	wait_for("主菜单");
	send_key("F10");
	term_wait_closed(t, TIMEOUT, NULL);
	term_close(t);
	no_drafts();
	return 0;
}
