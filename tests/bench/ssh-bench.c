/*
 * ssh-bench — casetermd against OpenSSH's sshd serving the same UI through
 * ForceCommand, in one run, with the test harness as the clerks' terminals.
 * tests/bench/ssh.sh starts both servers (and the database) and runs this.
 *
 *   ssh-bench [-n logins] [-c clerks] [-r rounds] [-i interval_ms]
 *             [-M menu_text] [-F form_text] -D admin_conninfo
 *             -A "port=P user=U password=W pid=LISTENER app=APPNAME"
 *             -B "port=P user=U key=FILE pid=LISTENER app=APPNAME
 *                 login=L loginpw=W"
 *   ssh-bench -p          print a free TCP port on 127.0.0.1 and exit
 *
 * A server given a key logs in with it and then answers the UI's own
 * "Login:" and "Password:" prompts with login= and loginpw= (sshd: the UI
 * runs without -S and logs the clerk in itself); a server given a password
 * authenticates the clerk in SSH (casetermd).  app= is the database
 * connection's application_name, so that the PostgreSQL backends of each
 * server's sessions can be told apart.
 *
 * What it measures:
 *
 *   1. first screen, alternating between the two servers so that whatever
 *      else the machine does weighs on both alike: connect until the menu
 *      text is on the screen, over `logins` sequential logins each (after
 *      3 not counted), each session closed and its processes gone before
 *      the next login; the time term_open took (connect, key exchange,
 *      authentication, pty and shell requests) and, for sshd, until the
 *      UI's Login prompt.  Then the SSH part step by step with libssh
 *      directly, 20 times with the harness's socket options and 20 times
 *      with TCP_NODELAY, up to the UI's first byte;
 *   2. keystroke latency, one server after the other (every UI writes a
 *      draft to the database now and then, and that load would fall on
 *      the other server's rounds if they were interleaved): `clerks`
 *      sessions, each in the New consultation form (menu key 1, then
 *      form_text), type one character into the applicant field at the
 *      same moment, `rounds` times, a round every interval_ms; the
 *      latency of a key is from just before its send until that session's
 *      screen shows the character at the end of the field.  The field is
 *      emptied (C-u, not measured) before it would scroll.  Before that,
 *      one clerk typing alone gives the baseline.  The CPU time (schedstat)
 *      of the session processes, the UIs and their PostgreSQL backends,
 *      and of this program, per keystroke;
 *   3. with those sessions still open: PSS and USS (smaps_rollup) of the
 *      processes of each session (the listener's child and all its
 *      descendants), averaged; the listener's own PSS; the PostgreSQL
 *      backends per session and their PSS and USS; the CPU the sessions
 *      use while nobody types.
 *
 * The clerk's drafts are deleted before and after each server's phase 2,
 * or the next login would offer to resume one instead of the menu.
 * SSH_BENCH_HOLD=SECONDS: on failure, wait that long before exiting, so
 * that the servers can be inspected.
 *
 * Needs to read /proc/PID/smaps_rollup of the servers' processes: run it
 * as root or as the user the servers run as.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <libssh/libssh.h>

#include "term.h"

#define TIMEOUT		15000	/* ms, any single wait */
#define WARMUP		3	/* logins not counted */
#define FIELD_KEYS	18	/* characters typed before the field is emptied */
#define SOLO_KEYS	FIELD_KEYS
#define NSRV		2
#define PHASE_RUNS	20	/* logins timed step by step */
#define NPHASE		5

/* One process, as /proc shows it. */
struct proc {
	pid_t	 pid, ppid;
	char	 comm[32];
};

struct clerk {
	struct term	*t;
	int		 row;		/* the applicant field's row */
	char		*empty;		/* that row with the field empty */
	char		 typed[FIELD_KEYS + 2];
	size_t		 ntyped;
	double		 sent;		/* ms, 0 when not waiting */
};

struct server {
	const char	*name;
	int		 port;
	const char	*user, *password, *key;
	const char	*login, *loginpw;	/* the UI's own prompts */
	const char	*app;
	pid_t		 listener;
	size_t		 pw_retries;	/* the UI lost a typed password */

	double		*first, *ssh, *prompt;	/* ms, per counted login */
	int		 nfirst;
	double		*phase[2][NPHASE];	/* ms, per step of the SSH part,
						   without and with TCP_NODELAY */
	size_t		 nphase[2];
	double		*lat, *solo;
	size_t		 nlat, nsolo, missed;
	double		*burst;			/* ms to send one round */
	size_t		 nburst;
	double		*round_p50, *round_max;	/* per round of phase 2 */
	double		 p99_rest;		/* p99 without round 1 */
	size_t		 round1;		/* keystrokes of round 1 */
	int		 nrounds;
	struct clerk	*clerks;
	int		 nclerks;

	/* phase 3 */
	double		 pss_session, pss_listener, pss_backends;
	double		 uss_session, uss_backends;
	double		 idle[3];	/* us of CPU per second per session */
	double		 procs_session, backends;
	double		 cpu_session, cpu_ui, cpu_backend;	/* us per key */
	double		 cpu_client;	/* ms of this program's CPU, phase 2 */
	uint64_t	 cpu0[3];
	size_t		 keys;
};

static const char	*menu_text = "主菜单";
static const char	*form_text = "*申请人";
static const char	*login_prompts[] = { "Login:", "用户名", NULL };
static const char	*pw_prompts[] = { "Password:", "密码", NULL };
static const char	*admin_conninfo;
static double		 t_start;

static double now_ms(void);

/* Progress on stderr, with the seconds since the start. */
static __attribute__((format(printf, 1, 2))) void
progress(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "ssh-bench: [%5.1f s] ", (now_ms() - t_start) / 1000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static __attribute__((format(printf, 2, 3), noreturn)) void
die(struct term *t, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "ssh-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (t != NULL) {
		fprintf(stderr, "the screen was:\n");
		term_dump(t, stderr);
	}
	if (getenv("SSH_BENCH_HOLD") != NULL)
		sleep((unsigned)atoi(getenv("SSH_BENCH_HOLD")));
	exit(1);
}

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static double
cpu_self_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void
sleep_ms(double ms)
{
	struct timespec	 ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
	nanosleep(&ts, NULL);
}

static void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n == 0 ? 1 : n, size);

	if (p == NULL)
		die(NULL, "out of memory");
	return p;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of v[0..n-1] (sorts v). */
static double
pct(double *v, size_t n, double p)
{
	size_t	 k;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_double);
	k = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

/* ------------------------------------------------------------ /proc */

static size_t
procs_read(struct proc **out)
{
	DIR		*d = opendir("/proc");
	struct dirent	*de;
	struct proc	*v = NULL;
	size_t		 n = 0, size = 0;
	char		 path[300], buf[512], *p;
	FILE		*fp;

	if (d == NULL)
		die(NULL, "/proc: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof buf, fp) == NULL ||
		    (p = strrchr(buf, ')')) == NULL) {
			fclose(fp);
			continue;
		}
		fclose(fp);
		if (n == size) {
			size = size == 0 ? 1024 : size * 2;
			if ((v = realloc(v, size * sizeof *v)) == NULL)
				die(NULL, "out of memory");
		}
		v[n].pid = (pid_t)atol(de->d_name);
		v[n].ppid = (pid_t)atol(p + 4);	/* ") S PPID" */
		*p = '\0';
		snprintf(v[n].comm, sizeof v[n].comm, "%s",
		    strchr(buf, '(') != NULL ? strchr(buf, '(') + 1 : "?");
		n++;
	}
	closedir(d);
	*out = v;
	return n;
}

static bool
proc_under(const struct proc *v, size_t n, pid_t pid, pid_t ancestor)
{
	size_t	 i;
	int	 depth;

	for (depth = 0; depth < 64 && pid > 1; depth++) {
		if (pid == ancestor)
			return true;
		for (i = 0; i < n && v[i].pid != pid; i++)
			;
		if (i == n)
			return false;
		pid = v[i].ppid;
	}
	return false;
}

static size_t
children_of(pid_t parent)
{
	struct proc	*v;
	size_t		 n = procs_read(&v), i, c = 0;

	for (i = 0; i < n; i++)
		if (v[i].ppid == parent)
			c++;
	free(v);
	return c;
}

/* PSS in KiB, 0 if unreadable. */
static double
pss_kib(pid_t pid)
{
	char	 path[64], line[256];
	FILE	*fp;
	double	 kib = 0;

	snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, "Pss:", 4) == 0) {
			kib = atof(line + 4);
			break;
		}
	fclose(fp);
	return kib;
}

/* USS (private memory) in KiB, 0 if unreadable. */
static double
uss_kib(pid_t pid)
{
	char	 path[64], line[256];
	FILE	*fp;
	double	 kib = 0;

	snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, "Private_Clean:", 14) == 0 ||
		    strncmp(line, "Private_Dirty:", 14) == 0)
			kib += atof(line + 14);
	fclose(fp);
	return kib;
}

/* CPU time in ns the process has run (schedstat), else from stat. */
static uint64_t
cpu_ns(pid_t pid)
{
	char			 path[64], buf[512], *p;
	FILE			*fp;
	unsigned long long	 ns = 0, ut = 0, st = 0;
	int			 i;

	snprintf(path, sizeof path, "/proc/%ld/schedstat", (long)pid);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fscanf(fp, "%llu", &ns) != 1)
			ns = 0;
		fclose(fp);
		if (ns > 0)
			return ns;
	}
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, fp) != NULL &&
	    (p = strrchr(buf, ')')) != NULL) {
		for (i = 0; i < 12 && p != NULL; i++)	/* to field 14 */
			p = strchr(p + 1, ' ');
		if (p != NULL && sscanf(p, "%llu %llu", &ut, &st) == 2)
			ns = (ut + st) * (1000000000ULL /
			    (unsigned long long)sysconf(_SC_CLK_TCK));
	}
	fclose(fp);
	return ns;
}

/* ------------------------------------------------------- the database */

/* PIDs of the client backends whose application_name is app. */
static size_t
backends(const char *app, pid_t **out)
{
	const char	*p[1] = { app };
	PGconn		*db = PQconnectdb(admin_conninfo);
	PGresult	*res;
	pid_t		*v;
	int		 i, n;

	if (PQstatus(db) != CONNECTION_OK)
		die(NULL, "database: %s", PQerrorMessage(db));
	res = PQexecParams(db, "SELECT pid FROM pg_stat_activity WHERE "
	    "application_name = $1 AND pid <> pg_backend_pid()", 1, NULL, p,
	    NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die(NULL, "pg_stat_activity: %s", PQerrorMessage(db));
	n = PQntuples(res);
	v = xcalloc((size_t)n, sizeof *v);
	for (i = 0; i < n; i++)
		v[i] = (pid_t)atol(PQgetvalue(res, i, 0));
	PQclear(res);
	PQfinish(db);
	*out = v;
	return (size_t)n;
}

/*
 * Forget the clerk's unfinished forms: a draft left by one phase would
 * make the next login ask whether to resume it instead of showing the menu.
 */
static void
drafts_clear(void)
{
	PGconn		*db = PQconnectdb(admin_conninfo);
	PGresult	*res;

	if (PQstatus(db) != CONNECTION_OK)
		die(NULL, "database: %s", PQerrorMessage(db));
	res = PQexec(db, "DELETE FROM caseterm.form_draft");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		die(NULL, "cannot delete the drafts: %s", PQerrorMessage(db));
	PQclear(res);
	PQfinish(db);
}

/* ------------------------------------------------------------ logins */

static int
contains_any(struct term *t, const char *const *texts)
{
	int	 i;

	for (i = 0; texts[i] != NULL; i++)
		if (term_contains(t, texts[i]))
			return 1;
	return 0;
}

static int
wait_any(struct term *t, const char *const *texts, int timeout_ms)
{
	double	 deadline = now_ms() + timeout_ms, left;

	for (;;) {
		if (contains_any(t, texts))
			return 1;
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		if (term_pump(t, left > 50 ? 50 : (int)left + 1) < 0)
			return contains_any(t, texts);
	}
}

/* How many rows contain text. */
static int
rows_with(struct term *t, const char *text)
{
	char	*r;
	int	 i, n = 0;

	for (i = 0; i < term_rows(t); i++)
		if ((r = term_row(t, i)) != NULL) {
			n += strstr(r, text) != NULL;
			free(r);
		}
	return n;
}

static void
expect(struct term *t, struct server *s, const char *text)
{
	if (!term_wait(t, text, TIMEOUT))
		die(t, "%s: \"%s\" did not appear", s->name, text);
}

/*
 * Log in as far as the menu.  ms[0]: the SSH part (term_open), ms[1]: the
 * UI's Login prompt (sshd only), ms[2]: the menu; all from the connect.
 */
static struct term *
login(struct server *s, double ms[3])
{
	struct term	*t;
	char		*err = NULL, line[256];
	double		 t0 = now_ms(), deadline;
	int		 seen, n = 0;

	if (s->key != NULL)
		t = term_open_key("127.0.0.1", s->port, s->user, s->key,
		    "xterm-256color", 80, 24, &err);
	else
		t = term_open("127.0.0.1", s->port, s->user, s->password,
		    "xterm-256color", 80, 24, &err);
	if (t == NULL)
		die(NULL, "%s: login as %s: %s", s->name, s->user, err);
	ms[0] = now_ms() - t0;
	ms[1] = 0;
	if (s->login != NULL) {
		if (!wait_any(t, login_prompts, TIMEOUT))
			die(t, "%s: the UI's Login prompt did not appear",
			    s->name);
		ms[1] = now_ms() - t0;
		snprintf(line, sizeof line, "%s\r", s->login);
		term_send(t, line);
		if (!wait_any(t, pw_prompts, TIMEOUT))
			die(t, "%s: the UI's Password prompt did not appear",
			    s->name);
		/*
		 * Until commit 79bdd7e the UI printed "Password: " before it
		 * turned echo off with tcsetattr(TCSAFLUSH): a password that
		 * arrived in between was echoed and thrown away.  Kept as a
		 * guard, counted in the table (should be 0): a password seen
		 * echoed was lost; once the screen is quiet, type it again.
		 */
		snprintf(line, sizeof line, "%s\r", s->loginpw);
		term_send(t, line);
		deadline = now_ms() + TIMEOUT;
		for (seen = 0; now_ms() < deadline;) {
			while (!term_contains(t, menu_text) &&
			    (n = rows_with(t, s->loginpw)) <= seen &&
			    now_ms() < deadline)
				if (term_pump(t, 50) < 0)
					break;
			if (term_contains(t, menu_text) || n <= seen)
				break;
			term_settle(t, 50, 2000);
			seen = rows_with(t, s->loginpw);
			s->pw_retries++;
			term_send(t, line);
		}
	}
	expect(t, s, menu_text);
	ms[2] = now_ms() - t0;
	return t;
}

/* After a session closed: until the server has no session process left. */
static void
wait_sessions_gone(struct server *s, int timeout_ms)
{
	double	 deadline = now_ms() + timeout_ms;

	while (children_of(s->listener) > 0 && now_ms() < deadline)
		sleep_ms(10);
}

/*
 * The SSH part of a login step by step, with libssh directly (the harness
 * does it all in term_open): connect and key exchange, authentication,
 * channel open, pty and shell requests, then the UI's first byte.
 */
static const char *const phase_names[NPHASE] = {
	"    connect + key exchange",
	"    authentication",
	"    channel open",
	"    pty + shell requests",
	"    then the UI's first byte",
};

static void
phases(struct server *s, int nodelay)
{
	ssh_session	 ssh;
	ssh_channel	 ch = NULL;
	ssh_key		 key = NULL;
	long		 timeout = TIMEOUT / 1000;
	bool		 no = false;
	double		 t[NPHASE + 1];
	char		 buf[256];
	int		 i, rc, verbosity = SSH_LOG_NOLOG;

	if ((ssh = ssh_new()) == NULL)
		die(NULL, "ssh_new");
	ssh_options_set(ssh, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(ssh, SSH_OPTIONS_HOST, "127.0.0.1");
	ssh_options_set(ssh, SSH_OPTIONS_PORT, &s->port);
	ssh_options_set(ssh, SSH_OPTIONS_USER, s->user);
	ssh_options_set(ssh, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(ssh, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(ssh, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	ssh_options_set(ssh, SSH_OPTIONS_NODELAY, &nodelay);
	if (s->key != NULL && ssh_pki_import_privkey_file(s->key, NULL, NULL,
	    NULL, &key) != SSH_OK)
		die(NULL, "cannot read %s", s->key);
	t[0] = now_ms();
	if (ssh_connect(ssh) != SSH_OK)
		die(NULL, "%s: connect: %s", s->name, ssh_get_error(ssh));
	t[1] = now_ms();
	if (key != NULL)
		rc = ssh_userauth_publickey(ssh, NULL, key);
	else if ((rc = ssh_userauth_none(ssh, NULL)) != SSH_AUTH_SUCCESS)
		rc = ssh_userauth_password(ssh, NULL, s->password);
	if (rc != SSH_AUTH_SUCCESS)
		die(NULL, "%s: authentication: %s", s->name,
		    ssh_get_error(ssh));
	t[2] = now_ms();
	if ((ch = ssh_channel_new(ssh)) == NULL ||
	    ssh_channel_open_session(ch) != SSH_OK)
		die(NULL, "%s: channel: %s", s->name, ssh_get_error(ssh));
	t[3] = now_ms();
	if (ssh_channel_request_pty_size(ch, "xterm-256color", 80, 24) !=
	    SSH_OK || ssh_channel_request_shell(ch) != SSH_OK)
		die(NULL, "%s: pty or shell: %s", s->name, ssh_get_error(ssh));
	t[4] = now_ms();
	if (ssh_channel_read_timeout(ch, buf, sizeof buf, 0, TIMEOUT) <= 0)
		die(NULL, "%s: the UI said nothing", s->name);
	t[5] = now_ms();
	for (i = 0; i < NPHASE; i++)
		s->phase[nodelay][i][s->nphase[nodelay]] = t[i + 1] - t[i];
	s->nphase[nodelay]++;
	ssh_channel_free(ch);
	ssh_disconnect(ssh);
	ssh_free(ssh);
	ssh_key_free(key);
}

static void
first_screen(struct server *srv, int logins)
{
	struct term	*t;
	double		 ms[3];
	int		 i, k;
	struct server	*s;

	for (k = 0; k < NSRV; k++) {
		s = &srv[k];
		s->first = xcalloc((size_t)logins, sizeof(double));
		s->ssh = xcalloc((size_t)logins, sizeof(double));
		s->prompt = xcalloc((size_t)logins, sizeof(double));
	}
	for (i = 0; i < WARMUP + logins; i++) {
		for (k = 0; k < NSRV; k++) {
			/* alternate which server goes first */
			s = &srv[(i + k) % NSRV];
			wait_sessions_gone(s, 5000);
			t = login(s, ms);
			term_close(t);
			if (i < WARMUP)
				continue;
			s->ssh[s->nfirst] = ms[0];
			s->prompt[s->nfirst] = ms[1];
			s->first[s->nfirst++] = ms[2];
		}
	}
	for (k = 0; k < NSRV; k++) {
		wait_sessions_gone(&srv[k], 5000);
		for (i = 0; i < NPHASE; i++) {
			srv[k].phase[0][i] = xcalloc(PHASE_RUNS, sizeof(double));
			srv[k].phase[1][i] = xcalloc(PHASE_RUNS, sizeof(double));
		}
	}
	for (i = 0; i < 2 * PHASE_RUNS; i++)
		for (k = 0; k < NSRV; k++) {
			s = &srv[(i + k) % NSRV];
			phases(s, i % 2);
			wait_sessions_gone(s, 5000);
		}
}

/* ---------------------------------------------------------- keystrokes */

/* The row, trimmed, ends with the field's text as typed so far. */
static bool
clerk_shows(struct clerk *c)
{
	char	*row = term_row(c->t, c->row);
	size_t	 len;
	bool	 ok;

	if (row == NULL)
		return false;
	len = strlen(row);
	if (c->ntyped == 0)
		ok = strcmp(row, c->empty) == 0;
	else
		ok = len >= c->ntyped && memcmp(row + len - c->ntyped,
		    c->typed, c->ntyped) == 0;
	free(row);
	return ok;
}

static void
clerk_open(struct server *s, struct clerk *c)
{
	double	 ms[3];

	c->t = login(s, ms);
	term_send(c->t, "1");
	expect(c->t, s, form_text);
	term_settle(c->t, 30, 3000);
	term_cursor(c->t, &c->row, NULL);
	c->empty = term_row(c->t, c->row);
	c->ntyped = 0;
	if (c->empty == NULL || !term_contains(c->t, form_text))
		die(c->t, "%s: the form is not as expected", s->name);
}

/*
 * Pump the clerks [0, n) until each shows what it typed or timeout_ms
 * passes; record each latency in lat (if not NULL).  Returns how many did
 * not show it in time.
 */
static size_t
collect(struct server *s, struct clerk *c, int n, double *lat, size_t *nlat,
    int timeout_ms)
{
	struct pollfd	*pfd = xcalloc((size_t)n, sizeof *pfd);
	int		*idx = xcalloc((size_t)n, sizeof *idx);
	double		 deadline = now_ms() + timeout_ms, t;
	int		 i, m, pending = 0, left, ready;
	size_t		 missed = 0;

	/* libssh may have read an answer while sending: look first */
	for (i = 0; i < n; i++) {
		if (c[i].sent == 0)
			continue;
		if (clerk_shows(&c[i])) {
			if (lat != NULL)
				lat[(*nlat)++] = now_ms() - c[i].sent;
			c[i].sent = 0;
		} else
			pending++;
	}
	while (pending > 0) {
		for (i = 0, m = 0; i < n; i++) {
			if (c[i].sent == 0 || term_fd(c[i].t) < 0)
				continue;
			pfd[m].fd = term_fd(c[i].t);
			pfd[m].events = POLLIN;
			pfd[m].revents = 0;
			idx[m++] = i;
		}
		left = (int)(deadline - now_ms());
		if (m == 0 || left <= 0)
			break;
		ready = poll(pfd, (nfds_t)m, left > 20 ? 20 : left);
		if (ready < 0 && errno != EINTR)
			die(NULL, "poll: %s", strerror(errno));
		for (i = 0; i < m; i++) {
			struct clerk *k = &c[idx[i]];

			/* nothing ready for 20 ms: pump them all anyway */
			if (pfd[i].revents == 0 && ready != 0)
				continue;
			term_pump(k->t, 0);
			t = now_ms();
			if (clerk_shows(k)) {
				if (lat != NULL)
					lat[(*nlat)++] = t - k->sent;
				k->sent = 0;
				pending--;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (c[i].sent > 0) {
			missed++;
			if (missed == 1) {
				fprintf(stderr, "ssh-bench: %s: a keystroke "
				    "did not show within %d ms:\n", s->name,
				    timeout_ms);
				term_dump(c[i].t, stderr);
			}
			c[i].sent = 0;
		}
	free(pfd);
	free(idx);
	return missed;
}

/* Empty the field of clerks [0, n) (not measured). */
static void
clear_fields(struct server *s, struct clerk *c, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		c[i].ntyped = 0;
		c[i].typed[0] = '\0';
		c[i].sent = now_ms();
		term_key(c[i].t, "C-u");
		s->keys++;
	}
	if (collect(s, c, n, NULL, NULL, TIMEOUT) > 0)
		die(NULL, "%s: the field did not empty", s->name);
}

/* One round: every clerk of [0, n) types the next character at once. */
static void
burst(struct server *s, struct clerk *c, int n, double *lat, size_t *nlat)
{
	char	 ch[2] = { 0, 0 };
	double	 t0, cpu0;
	int	 i;

	if (c[0].ntyped >= FIELD_KEYS)
		clear_fields(s, c, n);
	cpu0 = cpu_self_ms();
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		ch[0] = (char)('a' + c[i].ntyped);
		c[i].typed[c[i].ntyped++] = ch[0];
		c[i].typed[c[i].ntyped] = '\0';
		c[i].sent = now_ms();
		if (term_send(c[i].t, ch) != 0)
			die(c[i].t, "%s: cannot send a key", s->name);
		s->keys++;
	}
	if (n > 1)
		s->burst[s->nburst++] = now_ms() - t0;
	s->missed += collect(s, c, n, lat, nlat, TIMEOUT);
	s->cpu_client += cpu_self_ms() - cpu0;
}

/* Let every session go quiet (the UIs' timers, draft saves). */
static void
settle_all(struct server *s, int quiet_ms)
{
	double	 deadline = now_ms() + 10000, last = now_ms();
	int	 i, got;

	while (now_ms() - last < quiet_ms && now_ms() < deadline) {
		got = 0;
		for (i = 0; i < s->nclerks; i++)
			if (term_pump(s->clerks[i].t, 0) > 0)
				got = 1;
		if (got)
			last = now_ms();
		sleep_ms(5);
	}
}

/* CPU ns of: session processes (not the UI), UIs, backends. */
static void
cpu_snapshot(struct server *s, uint64_t out[3])
{
	struct proc	*v;
	size_t		 n = procs_read(&v), i, nb;
	pid_t		*b;

	out[0] = out[1] = out[2] = 0;
	for (i = 0; i < n; i++) {
		if (v[i].pid == s->listener ||
		    !proc_under(v, n, v[i].pid, s->listener))
			continue;
		out[strcmp(v[i].comm, "caseterm") == 0 ? 1 : 0] +=
		    cpu_ns(v[i].pid);
	}
	free(v);
	nb = backends(s->app, &b);
	for (i = 0; i < nb; i++)
		out[2] += cpu_ns(b[i]);
	free(b);
}

static void
memory(struct server *s)
{
	struct proc	*v;
	size_t		 n = procs_read(&v), i, j, roots = 0, procs = 0, nb, b0;
	pid_t		*b;
	double		 sum = 0, uss = 0;

	for (i = 0; i < n; i++) {
		if (v[i].ppid != s->listener)
			continue;
		roots++;
		for (j = 0; j < n; j++)
			if (proc_under(v, n, v[j].pid, v[i].pid)) {
				sum += pss_kib(v[j].pid);
				uss += uss_kib(v[j].pid);
				procs++;
			}
	}
	s->pss_listener = pss_kib(s->listener);
	s->pss_session = roots > 0 ? sum / (double)roots : 0;
	s->uss_session = roots > 0 ? uss / (double)roots : 0;
	s->procs_session = roots > 0 ? (double)procs / (double)roots : 0;
	if ((int)roots != s->nclerks)
		fprintf(stderr, "ssh-bench: %s: %zu session process trees for "
		    "%d sessions\n", s->name, roots, s->nclerks);
	free(v);
	nb = backends(s->app, &b);
	sum = uss = 0;
	for (b0 = 0; b0 < nb; b0++) {
		sum += pss_kib(b[b0]);
		uss += uss_kib(b[b0]);
	}
	s->backends = (double)nb / (double)s->nclerks;
	s->pss_backends = sum / (double)s->nclerks;
	s->uss_backends = uss / (double)s->nclerks;
	free(b);
}

/* CPU the open sessions use while nobody types, per session and second. */
static void
idle_cpu(struct server *s, int ms)
{
	uint64_t	 c0[3], c1[3];
	int		 i;
	double		 t0 = now_ms(), secs;

	cpu_snapshot(s, c0);
	while (now_ms() - t0 < ms) {	/* keep reading, as a client would */
		for (i = 0; i < s->nclerks; i++)
			term_pump(s->clerks[i].t, 0);
		sleep_ms(20);
	}
	cpu_snapshot(s, c1);
	secs = (now_ms() - t0) / 1000;
	for (i = 0; i < 3; i++)
		s->idle[i] = (double)(c1[i] - c0[i]) / 1e3 / secs /
		    (double)s->nclerks;
}

/*
 * Phase 2 and 3 for one server: its clerks log in and open the form, one
 * types alone, then all type together; memory while they are all there.
 * One server at a time: a round makes every UI of the server write its
 * draft to the database (see the report), whose aftermath would fall on
 * the other server's round if they were interleaved.
 */
static void
keystrokes(struct server *s, int clerks, int rounds, int interval)
{
	double		 start, *tmp;
	int		 r, i, j;
	size_t		 n0;
	uint64_t	 cpu[3];

	s->nclerks = clerks;
	s->clerks = xcalloc((size_t)clerks, sizeof *s->clerks);
	s->lat = xcalloc((size_t)clerks * (size_t)rounds, sizeof(double));
	s->solo = xcalloc(SOLO_KEYS, sizeof(double));
	s->burst = xcalloc((size_t)rounds, sizeof(double));
	s->round_p50 = xcalloc((size_t)rounds, sizeof(double));
	s->round_max = xcalloc((size_t)rounds, sizeof(double));

	drafts_clear();
	progress("%s: opening %d sessions ...", s->name, clerks);
	for (i = 0; i < clerks; i++)
		clerk_open(s, &s->clerks[i]);
	settle_all(s, 1500);

	/* one clerk typing alone, at about 20 keys a second */
	for (j = 0; j < SOLO_KEYS; j++) {
		burst(s, s->clerks, 1, s->solo, &s->nsolo);
		sleep_ms(50);
	}
	clear_fields(s, s->clerks, 1);
	settle_all(s, 1500);
	s->keys = 0;
	s->cpu_client = 0;
	cpu_snapshot(s, s->cpu0);

	progress("%s: %d rounds of %d keystrokes ...", s->name, rounds,
	    clerks);
	start = now_ms();
	for (r = 0; r < rounds; r++) {
		sleep_ms(start + r * (double)interval - now_ms());
		n0 = s->nlat;
		burst(s, s->clerks, clerks, s->lat, &s->nlat);
		tmp = xcalloc(s->nlat - n0, sizeof(double));
		memcpy(tmp, s->lat + n0, (s->nlat - n0) * sizeof *tmp);
		s->round_p50[s->nrounds] = pct(tmp, s->nlat - n0, 50);
		s->round_max[s->nrounds++] = pct(tmp, s->nlat - n0, 100);
		free(tmp);
		if (r == 0)
			s->round1 = s->nlat;
	}
	n0 = s->nlat - s->round1;
	tmp = xcalloc(n0, sizeof(double));
	memcpy(tmp, s->lat + s->round1, n0 * sizeof *tmp);
	s->p99_rest = pct(tmp, n0, 99);
	free(tmp);
	cpu_snapshot(s, cpu);
	s->cpu_session = (double)(cpu[0] - s->cpu0[0]) / 1e3 / (double)s->keys;
	s->cpu_ui = (double)(cpu[1] - s->cpu0[1]) / 1e3 / (double)s->keys;
	s->cpu_backend = (double)(cpu[2] - s->cpu0[2]) / 1e3 /
	    (double)s->keys;
	settle_all(s, 1500);	/* the UIs save their drafts after 1 s */
	memory(s);
	idle_cpu(s, 5000);

	progress("%s: closing the sessions ...", s->name);
	for (i = 0; i < clerks; i++) {
		term_close(s->clerks[i].t);
		free(s->clerks[i].empty);
	}
	wait_sessions_gone(s, 30000);
	sleep_ms(2000);		/* the UIs' last drafts, the backends */
	drafts_clear();
}

/* -------------------------------------------------------------- setup */

static void
parse_server(struct server *s, const char *name, char *spec)
{
	char	*tok, *save = NULL, *v;

	memset(s, 0, sizeof *s);
	s->name = name;
	for (tok = strtok_r(spec, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if ((v = strchr(tok, '=')) == NULL)
			die(NULL, "%s: bad spec item %s", name, tok);
		*v++ = '\0';
		if (strcmp(tok, "port") == 0)
			s->port = atoi(v);
		else if (strcmp(tok, "user") == 0)
			s->user = v;
		else if (strcmp(tok, "password") == 0)
			s->password = v;
		else if (strcmp(tok, "key") == 0)
			s->key = v;
		else if (strcmp(tok, "login") == 0)
			s->login = v;
		else if (strcmp(tok, "loginpw") == 0)
			s->loginpw = v;
		else if (strcmp(tok, "pid") == 0)
			s->listener = (pid_t)atol(v);
		else if (strcmp(tok, "app") == 0)
			s->app = v;
		else
			die(NULL, "%s: unknown spec item %s", name, tok);
	}
	if (s->port <= 0 || s->user == NULL || s->listener <= 0 ||
	    s->app == NULL || (s->password == NULL) == (s->key == NULL) ||
	    (s->key != NULL && (s->login == NULL || s->loginpw == NULL)))
		die(NULL, "%s: incomplete server spec", name);
}

static int
free_port(void)
{
	struct sockaddr_in	 sa;
	socklen_t		 len = sizeof sa;
	int			 fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		die(NULL, "cannot find a free port: %s", strerror(errno));
	printf("%d\n", ntohs(sa.sin_port));
	close(fd);
	return 0;
}

static void
row(const char *label, int decimals, double a, double b)
{
	char	 x[32], y[32];

	if (a < 0)
		snprintf(x, sizeof x, "-");
	else
		snprintf(x, sizeof x, "%.*f", decimals, a);
	if (b < 0)
		snprintf(y, sizeof y, "-");
	else
		snprintf(y, sizeof y, "%.*f", decimals, b);
	printf("%-36s %14s %18s\n", label, x, y);
}

/* The three rounds of phase 2 with the slowest keystroke. */
static void
slowest_rounds(struct server *s)
{
	int	 i, j, best[3] = { -1, -1, -1 };

	for (i = 0; i < s->nrounds; i++)
		for (j = 0; j < 3; j++)
			if (best[j] < 0 || s->round_max[i] >
			    s->round_max[best[j]]) {
				memmove(best + j + 1, best + j,
				    (size_t)(2 - j) * sizeof *best);
				best[j] = i;
				break;
			}
	printf("%s slowest rounds (of %d; round: p50/max ms):", s->name,
	    s->nrounds);
	for (j = 0; j < 3 && best[j] >= 0; j++)
		printf(" %d: %.1f/%.1f", best[j] + 1, s->round_p50[best[j]],
		    s->round_max[best[j]]);
	printf("\n");
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: ssh-bench [-n logins] [-c clerks] [-r rounds] "
	    "[-i interval_ms] [-M menu] [-F form] -D conninfo -A spec -B spec\n"
	    "       ssh-bench -p\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct server	 srv[NSRV], *a = &srv[0], *b = &srv[1];
	char		*spec_a = NULL, *spec_b = NULL;
	int		 ch, logins = 50, clerks = 100, rounds = 50;
	int		 interval = 100, i;
	double		 va, vb;

	while ((ch = getopt(argc, argv, "A:B:c:D:F:i:M:n:pr:")) != -1) {
		switch (ch) {
		case 'A': spec_a = optarg; break;
		case 'B': spec_b = optarg; break;
		case 'c': clerks = atoi(optarg); break;
		case 'D': admin_conninfo = optarg; break;
		case 'F': form_text = optarg; break;
		case 'i': interval = atoi(optarg); break;
		case 'M': menu_text = optarg; break;
		case 'n': logins = atoi(optarg); break;
		case 'p': return free_port();
		case 'r': rounds = atoi(optarg); break;
		default: usage();
		}
	}
	if (spec_a == NULL || spec_b == NULL || admin_conninfo == NULL ||
	    logins < 1 || clerks < 1 || rounds < 1 || interval < 1 ||
	    optind != argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_server(a, "casetermd", spec_a);
	parse_server(b, "sshd", spec_b);

	t_start = now_ms();
	progress("%d logins on each server ...", WARMUP + logins);
	first_screen(srv, logins);
	keystrokes(a, clerks, rounds, interval);
	keystrokes(b, clerks, rounds, interval);
	progress("done");

	printf("\n%-36s %14s %18s\n", "", "casetermd", "sshd+ForceCommand");
	va = pct(a->first, (size_t)a->nfirst, 50);
	vb = pct(b->first, (size_t)b->nfirst, 50);
	row("first screen median (ms)", 1, va, vb);
	row("first screen p90 (ms)", 1, pct(a->first, (size_t)a->nfirst,
	    90), pct(b->first, (size_t)b->nfirst, 90));
	row("  SSH part (connect..shell), median", 1,
	    pct(a->ssh, (size_t)a->nfirst, 50),
	    pct(b->ssh, (size_t)b->nfirst, 50));
	printf("  step by step (libssh client as the harness), median of "
	    "%d:\n", PHASE_RUNS);
	for (i = 0; i < NPHASE; i++)
		row(phase_names[i], 1, pct(a->phase[0][i], a->nphase[0], 50),
		    pct(b->phase[0][i], b->nphase[0], 50));
	printf("  the same, client with TCP_NODELAY (as PuTTY):\n");
	for (i = 0; i < NPHASE; i++)
		row(phase_names[i], 1, pct(a->phase[1][i], a->nphase[1], 50),
		    pct(b->phase[1][i], b->nphase[1], 50));
	row("  UI's Login prompt, median", 1, -1,
	    pct(b->prompt, (size_t)b->nfirst, 50));
	row("  passwords the UI lost (typed again)", 0, -1,
	    (double)b->pw_retries);
	row("keystroke p50 (ms) @1", 2, pct(a->solo, a->nsolo, 50),
	    pct(b->solo, b->nsolo, 50));
	row("keystroke p99 (ms) @1", 2, pct(a->solo, a->nsolo, 99),
	    pct(b->solo, b->nsolo, 99));
	{
		char	 l[64];

		snprintf(l, sizeof l, "keystroke p50 (ms) @%d", clerks);
		row(l, 2, pct(a->lat, a->nlat, 50),
		    pct(b->lat, b->nlat, 50));
		snprintf(l, sizeof l, "keystroke p99 (ms) @%d", clerks);
		row(l, 2, pct(a->lat, a->nlat, 99),
		    pct(b->lat, b->nlat, 99));
		row("  p99 of rounds 2.. (not the first)", 2, a->p99_rest,
		    b->p99_rest);
		snprintf(l, sizeof l, "keystroke max (ms) @%d", clerks);
		row(l, 2, pct(a->lat, a->nlat, 100),
		    pct(b->lat, b->nlat, 100));
	}
	row("  keystrokes measured", 0, (double)a->nlat,
	    (double)b->nlat);
	row("  keystrokes not shown in 15 s", 0, (double)a->missed,
	    (double)b->missed);
	row("  client: ms to send one round", 2,
	    pct(a->burst, a->nburst, 50), pct(b->burst, b->nburst, 50));
	row("  CPU us/key: session (not UI)", 0, a->cpu_session,
	    b->cpu_session);
	row("  CPU us/key: UI (caseterm)", 0, a->cpu_ui, b->cpu_ui);
	row("  CPU us/key: PostgreSQL backends", 0, a->cpu_backend,
	    b->cpu_backend);
	row("  CPU us/key: client (ssh-bench)", 0,
	    a->cpu_client * 1000 / (double)a->keys,
	    b->cpu_client * 1000 / (double)b->keys);
	row("  CPU ms per round, all of these", 1,
	    (a->cpu_session + a->cpu_ui + a->cpu_backend) * clerks / 1000 +
	    a->cpu_client / (double)a->nrounds,
	    (b->cpu_session + b->cpu_ui + b->cpu_backend) * clerks / 1000 +
	    b->cpu_client / (double)b->nrounds);
	row("PSS per session (KiB)", 0, a->pss_session, b->pss_session);
	row("  USS (private) per session (KiB)", 0, a->uss_session,
	    b->uss_session);
	row("  processes per session", 1, a->procs_session,
	    b->procs_session);
	row("  listener PSS (KiB)", 0, a->pss_listener, b->pss_listener);
	row("  PostgreSQL backends per session", 1, a->backends,
	    b->backends);
	row("  their PSS per session (KiB)", 0, a->pss_backends,
	    b->pss_backends);
	row("  their USS per session (KiB)", 0, a->uss_backends,
	    b->uss_backends);
	row("idle CPU per session (us/s): session", 0, a->idle[0], b->idle[0]);
	row("  UI", 0, a->idle[1], b->idle[1]);
	row("  PostgreSQL backends", 0, a->idle[2], b->idle[2]);

	slowest_rounds(a);
	slowest_rounds(b);
	printf("\ntargets: first screen median %s sshd's; keystroke p99 @%d "
	    "%s 10 ms; PSS per session %s sshd's\n",
	    va <= vb ? "met, no slower than" : "MISSED, slower than",
	    clerks, pct(a->lat, a->nlat, 99) < 10 ? "met, under" :
	    "MISSED, not under",
	    a->pss_session < b->pss_session ? "met, below" :
	    "MISSED, not below");
	return a->missed + b->missed > 0;
}
