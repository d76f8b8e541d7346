/*
 * server.h — casetermd: the listener, one session process per connection,
 * and the UI process each session runs on a pty.
 */
#ifndef CT_SERVER_H
#define CT_SERVER_H

#include <sys/types.h>
#include <netdb.h>
#include <time.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <libssh/callbacks.h>

#include "caseterm.h"

#define SESSION_MIN_COLS	20
#define SESSION_MAX_COLS	500
#define SESSION_MIN_ROWS	5
#define SESSION_MAX_ROWS	300

/* Why a session process ends a running UI; the clerk is told in both
 * languages (the session process does not know which one is theirs). */
#define SESSION_END_STOP  "服务器正在停止，您的工作已保存。/ The server is stopping; your work was saved."
#define SESSION_END_LIMIT "会话已达到时限，请重新登录。/ The session time limit was reached; please log in again."
#define SESSION_END_ADMIN "管理员已结束本会话。/ An administrator ended this session."

/* One connection, owned by its session process. */
struct session {
	const struct config	*cfg;
	ssh_session		 ssh;
	ssh_event		 event;
	ssh_channel		 channel;
	char			 source[NI_MAXHOST];	/* peer address */
	unsigned long		 id;		/* for log lines */

	struct db		*db;
	int			 status_fd;	/* to the listener */
	int			 methods;	/* SSH_AUTH_METHOD_* allowed */
	char			*login;		/* authenticated user */
	char			*kbdint_user;	/* keyboard-interactive in flight */
	long long		 user_id;
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
	const char		*end_reason;	/* why the UI was told to leave */
	time_t			 last_input;	/* from the client, monotonic */

	struct ssh_server_callbacks_struct	server_cb;
	struct ssh_channel_callbacks_struct	channel_cb;
};

/* server.c */
int	 server_run(struct config *, int port_override);

/* server-hostkey.c */
ssh_key	 hostkey_load(const char *path, char **cause);
char	*hostkey_fingerprint(ssh_key);

/* server-session.c */
__attribute__((noreturn)) void session_main(const struct config *,
	    ssh_session, unsigned long id, int status_fd);

time_t	 session_clock(void);

/* server-auth.c */
void	 auth_setup(struct session *);
void	 auth_end(struct session *);

/* server-channel.c */
ssh_channel server_channel_open(ssh_session, void *);
void	 server_channel_reap(struct session *);
void	 server_channel_finish(struct session *);

#endif
