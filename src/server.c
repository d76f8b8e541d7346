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
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
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
#include "form.h"

/* Only modern algorithms (see DESIGN.md); ssh-audit finds nothing to warn of. */
#define SERVER_KEX	"curve25519-sha256,curve25519-sha256@libssh.org"
#define SERVER_CIPHERS	"chacha20-poly1305@openssh.com,aes256-gcm@openssh.com," \
			"aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr"
#define SERVER_MACS	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"
#define SERVER_HOSTKEYS	"ssh-ed25519"

static volatile sig_atomic_t	server_got_term;
static volatile sig_atomic_t	server_got_chld;
static volatile sig_atomic_t	server_got_hup;

/* A session process, and whether it has authenticated its clerk yet. */
struct child {
	pid_t	 pid;
	int	 fd;		/* status pipe from the session, -1 at EOF */
	bool	 authed;
	char	 addr[NI_MAXHOST];
};
struct children {
	struct child	*v;
	size_t		 n, size;
};

static void
server_signal(int sig)
{
	if (sig == SIGCHLD)
		server_got_chld = 1;
	else if (sig == SIGHUP)
		server_got_hup = 1;
	else
		server_got_term = sig;
}

static void
children_add(struct children *c, pid_t pid, int fd, const char *addr)
{
	if (c->n == c->size) {
		c->size = c->size == 0 ? 16 : c->size * 2;
		c->v = xreallocarray(c->v, c->size, sizeof *c->v);
	}
	c->v[c->n].pid = pid;
	c->v[c->n].fd = fd;
	c->v[c->n].authed = false;
	snprintf(c->v[c->n].addr, sizeof c->v[c->n].addr, "%s", addr);
	c->n++;
}

static void
children_reap(struct children *c)
{
	pid_t	 pid;
	int	 status;
	size_t	 i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < c->n; i++) {
			if (c->v[i].pid == pid) {
				if (c->v[i].fd != -1)
					close(c->v[i].fd);
				c->v[i] = c->v[--c->n];
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

/* A session writes 'A' on its status pipe once its clerk is authenticated. */
static void
children_status(struct children *c, size_t i)
{
	char	 buf[16];
	ssize_t	 n;

	n = read(c->v[i].fd, buf, sizeof buf);
	if (n > 0 && memchr(buf, 'A', (size_t)n) != NULL)
		c->v[i].authed = true;
	else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(c->v[i].fd);
		c->v[i].fd = -1;
	}
}

/*
 * Like sshd's MaxStartups: a cap on connections that have not yet
 * authenticated, in all and per source address, so that a flood of idle
 * connections from one place cannot lock out a clerk from another.
 */
static bool
children_allow(struct children *c, const struct config *cfg,
    const char *addr)
{
	size_t	 i, total = 0, same = 0;

	for (i = 0; i < c->n; i++) {
		if (c->v[i].authed)
			continue;
		total++;
		if (strcmp(c->v[i].addr, addr) == 0)
			same++;
	}
	if (same >= (size_t)cfg->max_startups_per_source) {
		log_info("refused connection from %s: %zu unauthenticated "
		    "connections from there already", addr, same);
		return false;
	}
	if (total >= (size_t)cfg->max_startups) {
		log_info("refused connection from %s: %zu unauthenticated "
		    "connections already", addr, total);
		return false;
	}
	return true;
}

/*
 * Tell every session to leave (each hangs up its UI, which saves the
 * clerk's work), wait up to timeout seconds, then insist.  Returns how many
 * had to be killed.
 */
static size_t
children_stop(struct children *c, int timeout)
{
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };
	size_t		 i, killed;
	int		 tries;

	for (i = 0; i < c->n; i++)
		kill(c->v[i].pid, SIGTERM);
	for (tries = 0; tries < timeout * 20 && c->n > 0; tries++) {
		nanosleep(&ts, NULL);
		children_reap(c);
	}
	killed = c->n;
	for (i = 0; i < c->n; i++)
		kill(c->v[i].pid, SIGKILL);
	while (c->n > 0 && waitpid(-1, NULL, 0) > 0)
		children_reap(c);
	children_reap(c);
	free(c->v);
	return killed;
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
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_BANNER, "caseterm");
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
server_peer(ssh_session s, char *addr, size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof ss;

	snprintf(addr, len, "unknown");
	if (getpeername(ssh_get_fd(s), (struct sockaddr *)&ss, &sl) == 0)
		getnameinfo((struct sockaddr *)&ss, sl, addr, len, NULL, 0,
		    NI_NUMERICHOST);
}

static void
server_accept(const struct config *cfg, ssh_bind b, struct children *c,
    unsigned long id)
{
	ssh_session	 s;
	pid_t		 pid;
	sigset_t	 none;
	char		 addr[NI_MAXHOST];
	int		 pfd[2];

	s = ssh_new();
	if (ssh_bind_accept(b, s) != SSH_OK) {
		log_warn("accept: %s", ssh_get_error(b));
		ssh_free(s);
		return;
	}
	server_peer(s, addr, sizeof addr);
	if (!children_allow(c, cfg, addr) || pipe2(pfd, O_CLOEXEC) != 0) {
		ssh_free(s);
		return;
	}
	switch (pid = fork()) {
	case -1:
		log_error("fork: %s", strerror(errno));
		ssh_free(s);
		close(pfd[0]);
		close(pfd[1]);
		return;
	case 0:
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(pfd[0]);
		ssh_bind_free(b);
		session_main(cfg, s, id, pfd[1]);
		/* NOTREACHED */
	}
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	ssh_free(s);
	children_add(c, pid, pfd[0], addr);
}

/* SIGHUP: new sessions get the new configuration; this one keeps its
 * socket and host key (those need a restart). */
static void
server_reload(struct config *cfg)
{
	struct config	 n;
	char		*cause = NULL;

	if (config_load(cfg->path, &n, &cause) != 0 ||
	    forms_check(n.forms_dir, &cause) != 0) {
		log_error("reload refused, keeping the old configuration: %s",
		    cause);
		free(cause);
		return;
	}
	if (strcmp(n.listen_address, cfg->listen_address) != 0 ||
	    n.listen_port != cfg->listen_port ||
	    strcmp(n.host_key, cfg->host_key) != 0)
		log_warn("listen address, port and host key change only on "
		    "restart");
	log_init("casetermd", n.log_level, n.log_syslog);
	config_free(cfg);
	*cfg = n;
	log_info("configuration reloaded from %s", cfg->path);
}

int
server_run(struct config *cfg, int port_override)
{
	struct children		 children = { NULL, 0, 0 };
	struct sigaction	 sa;
	struct pollfd		*pfd = NULL;
	sigset_t		 block, none;
	ssh_bind		 b;
	unsigned long		 next_id = 1;
	size_t			 i, n, killed;
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
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&none);

	log_info("listening on %s port %d", cfg->listen_address,
	    server_port(ssh_bind_get_fd(b)));

	while (!server_got_term) {
		if (server_got_chld) {
			server_got_chld = 0;
			children_reap(&children);
		}
		if (server_got_hup) {
			server_got_hup = 0;
			server_reload(cfg);
		}
		pfd = xreallocarray(pfd, children.n + 1, sizeof *pfd);
		pfd[0].fd = ssh_bind_get_fd(b);
		pfd[0].events = POLLIN;
		for (i = 0, n = 1; i < children.n; i++, n++) {
			pfd[n].fd = children.v[i].fd;	/* -1 is skipped */
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
		}
		if (ppoll(pfd, n, NULL, &none) == -1) {
			if (errno != EINTR)
				log_error("poll: %s", strerror(errno));
			continue;
		}
		/* Status first: a slot freed by authentication counts now. */
		for (i = 0; i < children.n && i + 1 < n; i++)
			if (pfd[i + 1].revents != 0 && children.v[i].fd != -1)
				children_status(&children, i);
		if (pfd[0].revents & POLLIN)
			server_accept(cfg, b, &children, next_id++);
	}
	free(pfd);
	log_info("received signal %d; stopping %zu session(s)",
	    (int)server_got_term, children.n);
	ssh_bind_free(b);
	killed = children_stop(&children, cfg->stop_timeout);
	if (killed > 0) {
		log_warn("stopped; %zu session(s) did not leave within %d s "
		    "and were killed", killed, cfg->stop_timeout);
		return 1;
	}
	log_info("stopped; every session left in time");
	return 0;
}
