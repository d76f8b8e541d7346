/*
 * server.h — casetermd: the listener, one session process per connection,
 * and the UI process each session runs on a pty.
 */
#ifndef CT_SERVER_H
#define CT_SERVER_H

#include <sys/types.h>
#include <netdb.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <libssh/callbacks.h>

#include "caseterm.h"

#define SESSION_MIN_COLS	20
#define SESSION_MAX_COLS	500
#define SESSION_MIN_ROWS	5
#define SESSION_MAX_ROWS	300

/* One connection, owned by its session process. */
struct session {
	const struct config	*cfg;
	ssh_session		 ssh;
	ssh_event		 event;
	ssh_channel		 channel;
	char			 source[NI_MAXHOST];	/* peer address */
	unsigned long		 id;		/* for log lines */

	struct db		*db;
	char			*login;		/* authenticated user */
	char			*token;		/* one-time UI token */
	int			 auth_tries;
	bool			 authenticated;

	bool			 has_pty;
	char			 term[64];
	int			 cols, rows;

	int			 master;	/* pty master, -1 if none */
	pid_t			 ui_pid;
	bool			 ui_started;
	bool			 ui_exited;
	int			 ui_status;
	bool			 output_done;	/* master read EOF/EIO */
	bool			 client_gone;

	struct ssh_server_callbacks_struct	server_cb;
	struct ssh_channel_callbacks_struct	channel_cb;
};

/* server.c */
int	 server_run(const struct config *, int port_override);

/* server-hostkey.c */
ssh_key	 hostkey_load(const char *path, char **cause);
char	*hostkey_fingerprint(ssh_key);

/* server-session.c */
__attribute__((noreturn)) void session_main(const struct config *,
	    ssh_session, unsigned long id);

/* server-auth.c */
void	 auth_setup(struct session *);
void	 auth_end(struct session *);

/* server-channel.c */
ssh_channel server_channel_open(ssh_session, void *);
void	 server_channel_reap(struct session *);
void	 server_channel_finish(struct session *);

#endif
