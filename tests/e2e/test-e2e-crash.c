/*
 * A clerk's UI process is killed (kill -9): that connection closes, its
 * login session is ended in the database, another clerk's session goes on
 * untouched, no zombie is left, and the server keeps accepting logins.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

/* The pid in the newest "UI process N started" line of USER's session. */
static pid_t
ui_pid_of(const char *user)
{
	char	 line[512], *p, want[64];
	FILE	*f = fopen(getenv("CT_TEST_LOG"), "r");
	pid_t	 pid = 0;

	assert_non_null(f);
	snprintf(want, sizeof want, " %s ", user);
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, want) != NULL &&
		    (p = strstr(line, "UI process ")) != NULL)
			pid = (pid_t)atol(p + 11);
	fclose(f);
	return pid;
}

static char *
sql(const char *query)
{
	char	*cmd, buf[256] = "";
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

/* Zombies among the descendants of the casetermd this run started (its
 * pid is in the log's "listening" line): others' processes do not count. */
static int
zombies(void)
{
	char	 line[512], *p, cmd[256];
	FILE	*f = fopen(getenv("CT_TEST_LOG"), "r");
	long	 listener = 0;
	int	 n = -1;

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, "listening on") != NULL &&
		    (p = strstr(line, "casetermd[")) != NULL)
			listener = atol(p + 10);
	fclose(f);
	assert_true(listener > 1);
	/* every process whose chain of parents reaches the listener */
	snprintf(cmd, sizeof cmd, "ps -eo pid=,ppid=,stat= | awk -v top=%ld "
	    "'{ pp[$1] = $2; st[$1] = $3 } END { for (p in pp) { q = p; "
	    "while (q in pp && q != top && q > 1) q = pp[q]; if (q == top && "
	    "p != top && st[p] ~ /^Z/) n++ } print n + 0 }'", listener);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (fscanf(f, "%d", &n) != 1)
		n = -1;
	pclose(f);
	return n;
}

static void
killed_ui_ends_only_its_session(void **state)
{
	struct term	*victim, *other, *later;
	pid_t		 pid;
	int		 status = 0;
	char		*open_sessions;

	other = e2e_open("zd_village", E2E_PASSWORD);
	e2e_expect(other, "主菜单");
	victim = e2e_open("en_clerk", E2E_PASSWORD);
	e2e_expect(victim, "Main menu");
	pid = ui_pid_of("en_clerk");
	assert_true(pid > 1);

	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_true(term_wait_closed(victim, E2E_TIMEOUT, &status));
	term_close(victim);

	/* the other clerk works on */
	e2e_type(other, "2");
	e2e_expect(other, "我的案件");
	e2e_key(other, "F3");
	e2e_expect(other, "主菜单");

	/* the killed one's login session is over */
	open_sessions = sql("SELECT count(*) FROM caseterm.login_session s "
	    "JOIN caseterm.app_user u ON u.id = s.user_id "
	    "WHERE u.login = 'en_clerk' AND s.ended_at IS NULL");
	assert_string_equal(open_sessions, "0");
	free(open_sessions);

	later = e2e_open("en_clerk", E2E_PASSWORD);
	e2e_expect(later, "Main menu");
	e2e_logout(later);
	e2e_logout(other);
	usleep(300 * 1000);
	assert_int_equal(zombies(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(killed_ui_ends_only_its_session),
	};

	return cmocka_run_group_tests_name("e2e-crash", tests, NULL, NULL);
}
