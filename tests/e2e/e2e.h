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
/* The first match of an extended regex on the screen, or NULL; caller frees. */
char		*e2e_find(struct term *, const char *regex);
/* F10, then the connection must close with exit status 0. */
void		 e2e_logout(struct term *);

#endif
