/*
 * server-session.c — the session process: one per connection, forked by the
 * listener.  It does the key exchange, authenticates the clerk (server-auth.c),
 * runs the UI on a pty (server-channel.c), pumps bytes between the channel
 * and the pty, and returns the UI's exit status to the client.
 *
 * While the UI runs it also keeps the session honest: a pulse to the
 * database every few seconds (which answers whether an administrator ended
 * the session), the absolute time limit, keepalives that find a dead peer,
 * and SIGTERM from the listener.  Each of these ends the UI with SIGHUP,
 * which saves the clerk's work before it leaves.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

#define SESSION_PULSE	5	/* seconds between heartbeats */

static volatile sig_atomic_t	session_got_term;

static void
session_signal(int sig)
{
	session_got_term = 1;
}

static void
session_peer(struct session *s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;

	strcpy(s->source, "unknown");
	if (getpeername(ssh_get_fd(s->ssh), (struct sockaddr *)&ss, &len) == 0)
		getnameinfo((struct sockaddr *)&ss, len, s->source,
		    sizeof s->source, NULL, 0, NI_NUMERICHOST);
}

time_t
session_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The kernel gives up on a silent peer after interval * count seconds. */
static void
session_keepalive_socket(struct session *s)
{
	int	 fd = ssh_get_fd(s->ssh), on = 1;
	int	 idle = s->cfg->keepalive_interval, cnt = s->cfg->keepalive_count;
	unsigned int timeout = (unsigned int)(idle * cnt * 1000);

	if (idle == 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &timeout, sizeof timeout);
}

/* Until the UI runs: authentication and the channel requests. */
static int
session_setup(struct session *s)
{
	time_t	 deadline = session_clock() + s->cfg->login_grace_time;

	while (s->ui_pid <= 0 && !s->ui_exited) {
		if (session_got_term) {
			log_info("server stopping before the session started");
			return -1;
		}
		if (ssh_event_dopoll(s->event, 1000) == SSH_ERROR ||
		    !ssh_is_connected(s->ssh) || s->client_gone) {
			log_verbose("connection closed before a session "
			    "started");
			return -1;
		}
		if (s->auth_tries >= s->cfg->max_auth_tries &&
		    !s->authenticated) {
			log_info("too many authentication attempts");
			return -1;
		}
		if (session_clock() > deadline) {
			log_info("login grace time exceeded");
			return -1;
		}
	}
	return 0;
}

/* Ask the UI to leave (it saves its work); kill it if it does not. */
static void
session_end_ui(struct session *s, const char *why, time_t *asked)
{
	if (s->ui_exited)
		return;
	if (*asked == 0) {
		log_info("ending the UI: %s", why);
		s->end_reason = why;
		kill(s->ui_pid, SIGHUP);
		*asked = session_clock();
	} else if (session_clock() - *asked > s->cfg->stop_timeout)
		kill(s->ui_pid, SIGKILL);
}

/* Every few seconds: still wanted?  Also a keepalive to a quiet client. */
static void
session_pulse(struct session *s, time_t now, time_t *asked)
{
	const char	*p[1] = { s->token };
	PGresult	*res;
	char		*cause = NULL;

	if (s->cfg->keepalive_interval > 0 &&
	    now - s->last_input >= s->cfg->keepalive_interval)
		ssh_send_keepalive(s->ssh);
	if (s->db == NULL || s->token == NULL)
		return;
	res = db_exec(s->db, "SELECT caseterm.session_heartbeat($1)", 1, p,
	    &cause);
	if (res == NULL) {
		log_warn("session_heartbeat: %s", cause);	/* DB away: go on */
		free(cause);
		return;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		session_end_ui(s, SESSION_END_ADMIN, asked);
	PQclear(res);
}

/* While the UI runs. */
static void
session_pump(struct session *s)
{
	time_t	 started = session_clock(), next_pulse = 0, asked = 0, now;

	s->last_input = started;
	for (;;) {
		/* Events wake this at once; the timeout only paces the
		 * checks below, so an idle session costs next to nothing. */
		if (ssh_event_dopoll(s->event, 1000) == SSH_ERROR ||
		    !ssh_is_connected(s->ssh))
			s->client_gone = true;
		server_channel_reap(s);
		if (s->ui_exited && (s->output_done || s->client_gone))
			break;
		now = session_clock();
		if (s->client_gone)
			session_end_ui(s, "client went away", &asked);
		else if (session_got_term)
			session_end_ui(s, SESSION_END_STOP, &asked);
		else if (s->cfg->max_duration > 0 &&
		    now - started >= s->cfg->max_duration)
			session_end_ui(s, SESSION_END_LIMIT, &asked);
		else if (asked != 0)
			session_end_ui(s, s->end_reason, &asked);
		if (now >= next_pulse) {
			session_pulse(s, now, &asked);
			next_pulse = now + SESSION_PULSE;
		}
	}
}

void
session_main(const struct config *cfg, ssh_session ssh, unsigned long id,
    int status_fd)
{
	struct session	 s;
	long		 timeout = cfg->login_grace_time;
	int		 status = 1, one = 1;

	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.ssh = ssh;
	s.id = id;
	s.status_fd = status_fd;
	s.master = -1;
	s.ui_pid = -1;
	signal(SIGTERM, session_signal);
	session_peer(&s);
	log_set_prefix("session %lu %s", id, s.source);
	log_verbose("connection from %s", s.source);

	ssh_options_set(ssh, SSH_OPTIONS_TIMEOUT, &timeout);
	/* Interactive traffic: small packets go out at once.  Without this
	 * the key exchange waits ~40 ms on Nagle and a delayed ACK. */
	setsockopt(ssh_get_fd(ssh), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	auth_setup(&s);
	if (ssh_handle_key_exchange(ssh) != SSH_OK) {
		log_info("key exchange failed: %s", ssh_get_error(ssh));
		goto out;
	}
	session_keepalive_socket(&s);
	s.event = ssh_event_new();
	ssh_event_add_session(s.event, ssh);
	if (session_setup(&s) != 0)
		goto out;
	session_pump(&s);
	server_channel_finish(&s);
	status = 0;
out:
	auth_end(&s);
	if (s.event != NULL) {
		ssh_event_remove_session(s.event, ssh);
		ssh_event_free(s.event);
	}
	ssh_disconnect(ssh);
	ssh_free(ssh);
	close(status_fd);
	log_verbose("session ended");
	_exit(status);
}
