/*
 * server-channel.c — the session channel: the pty request, the shell request
 * that starts the UI process on a new pty (login_tty, so it gets SIGWINCH and
 * KEY_RESIZE), window changes, and the pump between channel and pty master.
 *
 * The UI gets the one-time session token on descriptor 3, never in its
 * environment or arguments, and holds no SSH state or host key.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmp.h>

#include "server.h"

#define UI_TOKEN_FD	3

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* A TERM value is passed on only if it looks like a terminfo name. */
static void
chan_set_term(struct session *s, const char *term)
{
	const char	*p;

	for (p = term; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("._+-", *p) == NULL)
			break;
	if (*p != '\0' || p == term || (size_t)(p - term) >= sizeof s->term)
		term = "xterm";
	snprintf(s->term, sizeof s->term, "%s", term);
}

static int
chan_pty(ssh_session ssh, ssh_channel ch, const char *term, int cols,
    int rows, int px, int py, void *arg)
{
	struct session	*s = arg;

	if (s->has_pty)
		return SSH_ERROR;
	chan_set_term(s, term);
	s->cols = clamp(cols, SESSION_MIN_COLS, SESSION_MAX_COLS);
	s->rows = clamp(rows, SESSION_MIN_ROWS, SESSION_MAX_ROWS);
	s->has_pty = true;
	log_verbose("pty %s %dx%d", s->term, s->cols, s->rows);
	return SSH_OK;
}

static int
chan_winch(ssh_session ssh, ssh_channel ch, int cols, int rows, int px,
    int py, void *arg)
{
	struct session	*s = arg;
	struct winsize	 ws;

	s->cols = clamp(cols, SESSION_MIN_COLS, SESSION_MAX_COLS);
	s->rows = clamp(rows, SESSION_MIN_ROWS, SESSION_MAX_ROWS);
	if (s->master == -1)
		return SSH_OK;
	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)s->cols;
	ws.ws_row = (unsigned short)s->rows;
	ioctl(s->master, TIOCSWINSZ, &ws);
	return SSH_OK;
}

static int
chan_data(ssh_session ssh, ssh_channel ch, void *data, uint32_t len,
    int is_stderr, void *arg)
{
	struct session	*s = arg;
	ssize_t		 n;

	s->last_input = session_clock();
	if (s->master == -1 || s->ui_exited)
		return (int)len;	/* nobody to read it */
	n = write(s->master, data, len);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : (int)len;
	return (int)n;		/* libssh offers the rest again later */
}

static int
chan_master(socket_t fd, int revents, void *arg)
{
	struct session	*s = arg;
	char		 buf[16384];
	ssize_t		 n;

	if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0)
		return 0;
	n = read(fd, buf, sizeof buf);
	if (n > 0) {
		if (s->channel != NULL && !s->client_gone)
			ssh_channel_write(s->channel, buf, (uint32_t)n);
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		s->output_done = true;	/* EIO: every slave fd closed */
	return 0;
}

/* After the UI exited: send what is left in the pty, then stop reading. */
static void
chan_drain(struct session *s)
{
	char	 buf[16384];
	ssize_t	 n;

	while ((n = read(s->master, buf, sizeof buf)) > 0)
		if (s->channel != NULL && !s->client_gone)
			ssh_channel_write(s->channel, buf, (uint32_t)n);
	s->output_done = true;
}

static void
chan_close(ssh_session ssh, ssh_channel ch, void *arg)
{
	struct session	*s = arg;

	s->client_gone = true;
}

static int
chan_refuse(ssh_session ssh, ssh_channel ch, const char *what, void *arg)
{
	log_info("refused request: %s", what);
	return SSH_ERROR;
}

static int
chan_env(ssh_session ssh, ssh_channel ch, const char *name,
    const char *value, void *arg)
{
	return SSH_ERROR;	/* the UI's environment is ours alone */
}

/*
 * A clerk may have only so many sessions at once.  Over the cap, the shell
 * request succeeds, says why on the terminal (in both languages: the user's
 * own is not known here) and ends with exit status 1.
 */
static bool
chan_over_cap(struct session *s)
{
	static const char msg[] =
	    "\r\n您同时打开的会话已达上限，请先退出其他会话。\r\n"
	    "You have reached the maximum number of open sessions; "
	    "log out of another one first.\r\n";
	char		 uid[32];
	const char	*p[1] = { uid };
	PGresult	*res;
	char		*cause = NULL;
	int		 n;

	snprintf(uid, sizeof uid, "%lld", s->user_id);
	res = db_exec(s->db, "SELECT caseterm.session_count($1)", 1, p, &cause);
	if (res == NULL) {
		log_warn("session_count: %s", cause);
		free(cause);
		return false;
	}
	n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (n < s->cfg->max_sessions_per_user)
		return false;
	log_info("refused a session: %d open, at most %d", n,
	    s->cfg->max_sessions_per_user);
	ssh_channel_write(s->channel, msg, sizeof msg - 1);
	s->ui_exited = true;
	s->ui_status = 1 << 8;		/* as if exit(1) */
	s->output_done = true;
	return true;
}

static __attribute__((noreturn)) void
ui_exec(struct session *s, int slave, int tokenfd)
{
	static const char *const pass[] = {	/* so a sanitizer run covers the UI */
		"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", NULL
	};
	char	 term[80], *envp[8];
	char	*argv[] = { "caseterm", "-f", s->cfg->path, "-S", "3", NULL };
	sigset_t none;
	size_t	 i, n = 0;

	snprintf(term, sizeof term, "TERM=%s", s->term);
	envp[n++] = term;
	envp[n++] = "LANG=C.UTF-8";
	envp[n++] = "PATH=/usr/bin:/bin";
	envp[n++] = "HOME=/";
	for (i = 0; pass[i] != NULL; i++) {
		char *v = getenv(pass[i]);
		if (v != NULL && asprintf(&envp[n], "%s=%s", pass[i], v) > 0)
			n++;
	}
	envp[n] = NULL;
	if (login_tty(slave) != 0)
		_exit(127);
	if (dup2(tokenfd, UI_TOKEN_FD) != UI_TOKEN_FD)
		_exit(127);
	close_range(UI_TOKEN_FD + 1, ~0U, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execve(s->cfg->ui_program, argv, envp);
	dprintf(STDERR_FILENO, "caseterm: cannot start %s: %s\r\n",
	    s->cfg->ui_program, strerror(errno));
	_exit(127);
}

static int
chan_shell(ssh_session ssh, ssh_channel ch, void *arg)
{
	struct session	*s = arg;
	struct winsize	 ws;
	int		 master, slave, pfd[2], tokenfd;
	pid_t		 pid;
	size_t		 len;

	if (!s->has_pty) {
		log_info("refused a shell without a pty");
		return SSH_ERROR;
	}
	if (s->ui_started || s->token == NULL)
		return SSH_ERROR;
	if (chan_over_cap(s))
		return SSH_OK;
	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)s->cols;
	ws.ws_row = (unsigned short)s->rows;
	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		log_error("openpty: %s", strerror(errno));
		return SSH_ERROR;
	}
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		log_error("pipe: %s", strerror(errno));
		close(master);
		close(slave);
		return SSH_ERROR;
	}
	/* Above 3, so dup2() to 3 always makes a fresh descriptor. */
	tokenfd = fcntl(pfd[0], F_DUPFD_CLOEXEC, UI_TOKEN_FD + 1);
	close(pfd[0]);
	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		close(master);
		close(slave);
		close(tokenfd);
		close(pfd[1]);
		return SSH_ERROR;
	}
	if (pid == 0) {
		close(master);
		close(pfd[1]);
		ui_exec(s, slave, tokenfd);
	}
	close(slave);
	close(tokenfd);
	len = strlen(s->token);
	if (write(pfd[1], s->token, len) != (ssize_t)len ||
	    write(pfd[1], "\n", 1) != 1)
		log_error("cannot hand the session token to the UI");
	close(pfd[1]);
	s->ui_started = true;	/* the token stays to end the session */

	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	s->master = master;
	s->ui_pid = pid;
	ssh_event_add_fd(s->event, master, POLLIN, chan_master, s);
	log_verbose("UI process %ld started", (long)pid);
	return SSH_OK;
}

ssh_channel
server_channel_open(ssh_session ssh, void *arg)
{
	struct session		*s = arg;
	struct ssh_channel_callbacks_struct *cb = &s->channel_cb;

	if (!s->authenticated || s->channel != NULL)
		return NULL;
	s->channel = ssh_channel_new(ssh);
	memset(cb, 0, sizeof *cb);
	cb->userdata = s;
	cb->channel_pty_request_function = chan_pty;
	cb->channel_pty_window_change_function = chan_winch;
	cb->channel_shell_request_function = chan_shell;
	cb->channel_data_function = chan_data;
	cb->channel_close_function = chan_close;
	cb->channel_exec_request_function = chan_refuse;
	cb->channel_subsystem_request_function = chan_refuse;
	cb->channel_env_request_function = chan_env;
	ssh_callbacks_init(cb);
	ssh_set_channel_callbacks(s->channel, cb);
	return s->channel;
}

/* Has the UI exited?  Then read what it left in the pty. */
void
server_channel_reap(struct session *s)
{
	int	 status;

	if (s->ui_exited || s->ui_pid <= 0)
		return;
	if (waitpid(s->ui_pid, &status, WNOHANG) != s->ui_pid)
		return;
	s->ui_exited = true;
	s->ui_status = status;
	chan_drain(s);
}

void
server_channel_finish(struct session *s)
{
	ssh_channel	 ch = s->channel;
	int		 st = s->ui_status, i;

	if (s->master != -1) {
		ssh_event_remove_fd(s->event, s->master);
		close(s->master);
		s->master = -1;
	}
	if (WIFSIGNALED(st))
		log_info("UI ended by signal %d", WTERMSIG(st));
	else
		log_info("UI exited with status %d", WEXITSTATUS(st));
	if (ch == NULL || s->client_gone || !ssh_channel_is_open(ch))
		return;
	if (s->end_reason != NULL) {	/* say why, unless nobody listens */
		ssh_channel_write(ch, "\r\n", 2);
		ssh_channel_write(ch, s->end_reason,
		    (uint32_t)strlen(s->end_reason));
		ssh_channel_write(ch, "\r\n", 2);
	}
	if (WIFSIGNALED(st))
		ssh_channel_request_send_exit_signal(ch,
		    WTERMSIG(st) == SIGKILL ? "KILL" :
		    WTERMSIG(st) == SIGHUP ? "HUP" : "TERM", 0, "", "");
	else
		ssh_channel_request_send_exit_status(ch, WEXITSTATUS(st));
	ssh_channel_send_eof(ch);
	ssh_channel_close(ch);
	/* Let the client close its side before the connection goes:
	 * PuTTY calls a disconnect before that an unexpected close. */
	for (i = 0; i < 30 && !s->client_gone && ssh_is_connected(s->ssh); i++)
		if (ssh_event_dopoll(s->event, 100) == SSH_ERROR)
			break;
}
