/*
 * server-session.c — the session process: one per connection, forked by the
 * listener.  It does the key exchange, authenticates the clerk (server-auth.c),
 * runs the UI on a pty (server-channel.c), pumps bytes between the channel
 * and the pty, and returns the UI's exit status to the client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

static void
session_peer(struct session *s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 host[NI_MAXHOST];

	strcpy(s->source, "unknown");
	if (getpeername(ssh_get_fd(s->ssh), (struct sockaddr *)&ss, &len) != 0)
		return;
	if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, NULL,
	    0, NI_NUMERICHOST) == 0)
		snprintf(s->source, sizeof s->source, "%s", host);
}

static time_t
session_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Until the UI runs: authentication and the channel requests. */
static int
session_setup(struct session *s)
{
	time_t	 deadline = session_now() + s->cfg->login_grace_time;

	while (s->ui_pid <= 0) {
		if (ssh_event_dopoll(s->event, 1000) == SSH_ERROR ||
		    !ssh_is_connected(s->ssh) || s->client_gone) {
			log_verbose("connection closed before a session "
			    "started");
			return -1;
		}
		if (s->auth_tries >= s->cfg->max_auth_tries &&
		    !s->authenticated) {
			log_info("too many authentication failures");
			return -1;
		}
		if (session_now() > deadline) {
			log_info("login grace time exceeded");
			return -1;
		}
	}
	return 0;
}

/* While the UI runs. */
static void
session_pump(struct session *s)
{
	time_t	 hup_at = 0;

	for (;;) {
		if (ssh_event_dopoll(s->event, 200) == SSH_ERROR ||
		    !ssh_is_connected(s->ssh))
			s->client_gone = true;
		server_channel_reap(s);
		if (s->ui_exited && (s->output_done || s->client_gone))
			break;
		if (s->client_gone && !s->ui_exited) {
			/* The UI saves its work on SIGHUP; insist later. */
			if (hup_at == 0) {
				log_info("client went away; hanging up the UI");
				kill(s->ui_pid, SIGHUP);
				hup_at = session_now();
			} else if (session_now() - hup_at > 10)
				kill(s->ui_pid, SIGKILL);
		}
	}
}

void
session_main(const struct config *cfg, ssh_session ssh, unsigned long id)
{
	struct session	 s;
	long		 timeout = cfg->login_grace_time;
	int		 status = 1;

	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.ssh = ssh;
	s.id = id;
	s.master = -1;
	s.ui_pid = -1;
	session_peer(&s);
	log_set_prefix("session %lu %s", id, s.source);
	log_verbose("connection from %s", s.source);

	ssh_options_set(ssh, SSH_OPTIONS_TIMEOUT, &timeout);
	auth_setup(&s);
	if (ssh_handle_key_exchange(ssh) != SSH_OK) {
		log_info("key exchange failed: %s", ssh_get_error(ssh));
		goto out;
	}
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
	log_verbose("session ended");
	_exit(status);
}
