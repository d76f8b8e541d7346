/*
 * e2e.h — helpers for end-to-end tests over SSH: log in to the casetermd
 * that tests/run started (CT_TEST_HOST, CT_TEST_PORT), wait for text, type,
 * and fail with the screen printed when the screen is not what it should be.
 */
#ifndef CT_E2E_H
#define CT_E2E_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <sys/types.h>

#include "term.h"

#define E2E_TIMEOUT	10000	/* ms: generous, never a measure of speed */
#define E2E_PASSWORD	"demo1234"

const char	*e2e_host(void);
int		 e2e_port(void);
struct term	*e2e_open(const char *user, const char *password);
struct term	*e2e_open_size(const char *user, const char *password,
		    const char *termtype, int cols, int rows);
/* Fail the test (printing the screen) unless text shows up in time. */
#define e2e_expect(t, text) e2e_expect_at(t, text, __FILE__, __LINE__)
#define e2e_expect_gone(t, text) e2e_expect_gone_at(t, text, __FILE__, __LINE__)
#define e2e_expect_not(t, text) e2e_expect_not_at(t, text, __FILE__, __LINE__)
void		 e2e_expect_at(struct term *, const char *, const char *, int);
void		 e2e_expect_gone_at(struct term *, const char *, const char *, int);
void		 e2e_expect_not_at(struct term *, const char *, const char *, int);
void		 e2e_key(struct term *, const char *name);
void		 e2e_type(struct term *, const char *text);
/* Wait until an extended regex matches the screen; the match (caller
 * frees), or NULL after the timeout. */
char		*e2e_wait_re(struct term *, const char *regex);
/* The first match of an extended regex on the screen, or NULL; caller frees. */
char		*e2e_find(struct term *, const char *regex);
/*
 * A casetermd of its own for a test that needs other settings: the test
 * configuration plus extra (libconfig groups such as "session = { ... };"),
 * on a free port.  e2e_server_stop() sends SIGTERM and returns the exit
 * status.  The log is CT_TEST_DIR/NAME.log.
 */
struct e2e_server {
	pid_t	 pid;
	int	 port;
	char	*conf;
	char	*log;
};
void		 e2e_server_start(struct e2e_server *, const char *name,
		    const char *extra);
int		 e2e_server_stop(struct e2e_server *);
bool		 e2e_log_has(const char *log, const char *text);
struct term	*e2e_open_at(int port, const char *user, const char *password);
/* Run a shell command; fail the test unless it exits 0. */
void		 e2e_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first line a psql query as superuser prints; caller frees. */
char		*e2e_sql(const char *query);

/* Type the key of the menu or list item "K  label" on screen (K is
 * 0-9 or a-z; a list's numbers may be right-aligned). */
#define e2e_choose(t, label) e2e_choose_at(t, label, __FILE__, __LINE__)
void		 e2e_choose_at(struct term *, const char *, const char *, int);

/* From the main menu: Search cases, the case numbered no, open it. */
void		 e2e_open_case(struct term *, const char *no);

/* F10, then the connection must close with exit status 0. */
void		 e2e_logout(struct term *);

#endif
