/*
 * caseterm.h — what every caseterm program shares: allocation, logging,
 * configuration, the database connection, wide-character strings, resident
 * ID numbers and password hashes.  Grouped by the file that implements them,
 * so this header reads as a table of contents.
 */
#ifndef CASETERM_H
#define CASETERM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <libintl.h>
#include <wchar.h>

#include <libpq-fe.h>

#define _(s)  gettext(s)
#define N_(s) (s)

#define CT_DOMAIN   "caseterm"
#define CT_VERSION  "0.1"

/* xmalloc.c: allocation that never returns NULL (a failure is fatal). */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*xvasprintf_str(const char *, va_list);

/* log.c: levels, one line per event, a prefix naming the session and user. */
enum log_level { LL_ERROR, LL_WARN, LL_INFO, LL_VERBOSE, LL_DEBUG };
void	 log_init(const char *progname, enum log_level, bool syslog);
int	 log_parse_level(const char *, enum log_level *);
void	 log_set_prefix(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	 log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
char	*log_safe(const char *, char *, size_t);
#define log_error(...)   log_msg(LL_ERROR, __VA_ARGS__)
#define log_warn(...)    log_msg(LL_WARN, __VA_ARGS__)
#define log_info(...)    log_msg(LL_INFO, __VA_ARGS__)
#define log_verbose(...) log_msg(LL_VERBOSE, __VA_ARGS__)
#define log_debug(...)   log_msg(LL_DEBUG, __VA_ARGS__)

/* config.c: the one libconfig file; relative paths are taken from its folder. */
struct config {
	char		*path;		/* the file this came from (absolute) */
	char		*listen_address;
	int		 listen_port;
	char		*host_key;
	char		*db_conninfo;
	char		*db_admin_conninfo;
	char		*forms_dir;
	char		*sql_dir;
	char		*data_dir;
	char		*locale_dir;
	char		*ui_program;
	char		*default_locale;
	enum log_level	 log_level;
	bool		 log_syslog;
	int		 login_grace_time;	/* seconds */
	int		 max_auth_tries;
	char		*auth_methods;
	int		 max_failures;		/* of a login, before a lockout */
	int		 max_failures_per_source;	/* of an address */
	int		 failure_window;	/* seconds */
	int		 lockout_time;		/* seconds */
	int		 max_startups;		/* unauthenticated, in all */
	int		 max_startups_per_source;
	int		 max_sessions_per_user;
	int		 idle_warn;		/* seconds, 0 = never */
	int		 idle_lock;		/* seconds, 0 = never */
	int		 max_duration;		/* seconds, 0 = no limit */
	int		 keepalive_interval;	/* seconds, 0 = off */
	int		 keepalive_count;
	int		 stop_timeout;		/* seconds for sessions to leave */
};
int	 config_load(const char *path, struct config *, char **cause);
void	 config_free(struct config *);
const char *config_default_path(void);
const char *config_key_name(size_t);

/* db.c: libpq with the acting user set per transaction. */
struct db {
	PGconn		*conn;
	char		*conninfo;
	long long	 user_id;	/* acting user, 0 = none */
	long long	 session_id;	/* login session, 0 = none */
	/* The last error's fields, as the server sent them ("" if none). */
	char		 err_state[6];	/* SQLSTATE, e.g. 40001 */
	char		 err_detail[256];
	char		 err_column[64];	/* the field the schema blames */
};
struct db *db_open(const char *conninfo, char **cause);
void	 db_close(struct db *);
/* Run one parameterised statement in its own transaction as the acting
 * user.  Returns the result (caller PQclear()s) or NULL with *cause set to a
 * message for the user (caller frees).  Reconnects once if the server went
 * away before anything was committed. */
PGresult *db_call(struct db *, const char *sql, int nparams,
	    const char *const *params, char **cause);
/* The same, outside any transaction and without an acting user. */
PGresult *db_exec(struct db *, const char *sql, int nparams,
	    const char *const *params, char **cause);
char	*db_error_message(PGconn *, const PGresult *);

/* auth.c: passwords checked against the database, for every front end. */
int	 auth_password_check(struct db *, const char *login,
	    const char *password, long long *user_id, const char **why,
	    char **cause);
void	 auth_record_failure(struct db *, const char *login,
	    const char *source, const char *reason);
char	*auth_open_session(struct db *, long long user_id, const char *source,
	    const char *method);

/* wcstr.c: strings measured in terminal columns. */
wchar_t	*wcs_from_utf8(const char *);
char	*utf8_from_wcs(const wchar_t *, size_t len);
int	 wcs_cols(const wchar_t *, size_t len);
int	 wc_cols(wchar_t);
int	 utf8_cols(const char *);
/* The longest prefix of s that fits in cols columns, as a new string. */
char	*utf8_fit(const char *s, int cols);
/* s cut or padded with spaces to exactly cols columns. */
char	*utf8_pad(const char *s, int cols);

/* idcard.c: GB 11643 resident ID numbers and mobile numbers. */
struct idcard_info {
	int	year, month, day;
	bool	female;
};
int	 idcard_check(const char *, struct idcard_info *, const char **cause);
char	 idcard_check_digit(const char *first17);
int	 mobile_normalize(const char *, char out[12], const char **cause);

/* passwd.c: crypt(3) hashes (yescrypt). */
char	*passwd_hash(const char *password);
bool	 passwd_verify(const char *password, const char *hash);
void	 passwd_burn(char *, size_t);

#endif
