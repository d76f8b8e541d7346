/*
 * server.c — the listener.  It accepts TCP connections, forks one session
 * process per connection and reaps them; it never authenticates anybody nor
 * touches the database, so a fault in a session cannot stop it.
 *
 * Signals are blocked except inside ppoll(), so a SIGTERM, SIGHUP or SIGCHLD
 * is seen exactly at the top of the loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

/* Only modern algorithms (see DESIGN.md); ssh-audit finds nothing to warn of. */
#define SERVER_KEX	"curve25519-sha256,curve25519-sha256@libssh.org"
#define SERVER_CIPHERS	"chacha20-poly1305@openssh.com,aes256-gcm@openssh.com," \
			"aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr"
#define SERVER_MACS	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"
#define SERVER_HOSTKEYS	"ssh-ed25519"

static volatile sig_atomic_t	server_got_term;
static volatile sig_atomic_t	server_got_chld;

struct children {
	pid_t	*pids;
	size_t	 n, size;
};

static void
server_signal(int sig)
{
	if (sig == SIGCHLD)
		server_got_chld = 1;
	else
		server_got_term = sig;
}

static void
children_add(struct children *c, pid_t pid)
{
	if (c->n == c->size) {
		c->size = c->size == 0 ? 16 : c->size * 2;
		c->pids = xreallocarray(c->pids, c->size, sizeof *c->pids);
	}
	c->pids[c->n++] = pid;
}

static void
children_reap(struct children *c)
{
	pid_t	 pid;
	int	 status;
	size_t	 i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < c->n; i++) {
			if (c->pids[i] == pid) {
				c->pids[i] = c->pids[--c->n];
				break;
			}
		}
		if (WIFSIGNALED(status))
			log_warn("session process %ld killed by signal %d",
			    (long)pid, WTERMSIG(status));
		else
			log_verbose("session process %ld exited with %d",
			    (long)pid, WEXITSTATUS(status));
	}
}

/* Tell every session to leave, give them a moment, then insist. */
static void
children_stop(struct children *c)
{
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };
	size_t		 i;
	int		 tries;

	for (i = 0; i < c->n; i++)
		kill(c->pids[i], SIGTERM);
	for (tries = 0; tries < 100 && c->n > 0; tries++) {
		nanosleep(&ts, NULL);
		children_reap(c);
	}
	for (i = 0; i < c->n; i++)
		kill(c->pids[i], SIGKILL);
	while (c->n > 0 && waitpid(-1, NULL, 0) > 0)
		children_reap(c);
	free(c->pids);
}

static ssh_bind
server_bind(const struct config *cfg, int port, char **cause)
{
	ssh_bind	 b;
	ssh_key		 key;
	bool		 no = false;
	char		*fp;

	if ((key = hostkey_load(cfg->host_key, cause)) == NULL)
		return NULL;
	fp = hostkey_fingerprint(key);
	log_info("host key %s", fp);
	free(fp);

	b = ssh_bind_new();
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_BINDADDR, cfg->listen_address);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_BINDPORT, &port);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_IMPORT_KEY, key);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_KEY_EXCHANGE, SERVER_KEX);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_CIPHERS_C_S, SERVER_CIPHERS);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_CIPHERS_S_C, SERVER_CIPHERS);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_HMAC_C_S, SERVER_MACS);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_HMAC_S_C, SERVER_MACS);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS,
	    SERVER_HOSTKEYS);
	if (ssh_bind_listen(b) != SSH_OK) {
		xasprintf(cause, "cannot listen on %s port %d: %s",
		    cfg->listen_address, port, ssh_get_error(b));
		ssh_bind_free(b);
		return NULL;
	}
	return b;
}

static int
server_port(int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void
server_accept(const struct config *cfg, ssh_bind b, struct children *c,
    unsigned long id)
{
	ssh_session	 s;
	pid_t		 pid;
	sigset_t	 none;

	s = ssh_new();
	if (ssh_bind_accept(b, s) != SSH_OK) {
		log_warn("accept: %s", ssh_get_error(b));
		ssh_free(s);
		return;
	}
	switch (pid = fork()) {
	case -1:
		log_error("fork: %s", strerror(errno));
		ssh_free(s);
		return;
	case 0:
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		ssh_bind_free(b);
		session_main(cfg, s, id);
		/* NOTREACHED */
	}
	ssh_free(s);
	children_add(c, pid);
}

int
server_run(const struct config *cfg, int port_override)
{
	struct children		 children = { NULL, 0, 0 };
	struct sigaction	 sa;
	struct pollfd		 pfd;
	sigset_t		 block, none;
	ssh_bind		 b;
	unsigned long		 next_id = 1;
	char			*cause;
	int			 port;

	port = port_override >= 0 ? port_override : cfg->listen_port;
	if ((b = server_bind(cfg, port, &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		return 1;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = server_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&none);

	pfd.fd = ssh_bind_get_fd(b);
	pfd.events = POLLIN;
	log_info("listening on %s port %d", cfg->listen_address,
	    server_port(pfd.fd));

	while (!server_got_term) {
		if (server_got_chld) {
			server_got_chld = 0;
			children_reap(&children);
		}
		if (ppoll(&pfd, 1, NULL, &none) == -1) {
			if (errno != EINTR)
				log_error("poll: %s", strerror(errno));
			continue;
		}
		if (pfd.revents & POLLIN)
			server_accept(cfg, b, &children, next_id++);
	}
	log_info("received signal %d; stopping %zu session(s)",
	    (int)server_got_term, children.n);
	ssh_bind_free(b);
	children_stop(&children);
	log_info("stopped");
	return 0;
}
