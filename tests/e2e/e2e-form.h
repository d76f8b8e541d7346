/*
 * e2e-form.h — helpers shared by the form engine's end-to-end tests
 * (test-e2e-form-*.c): SQL as the superuser with any quoting, a known
 * person, no leftover drafts, the UI process of a user.  Header-only, so
 * each test links as every e2e test does.
 */
#ifndef CT_E2E_FORM_H
#define CT_E2E_FORM_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

#define CASE_NO_RE	"20[0-9]{2}-[0-9]{6}"

/* Everything psql prints for query (sent on a file, so any quoting
 * works), the last newline cut; the caller frees. */
static __attribute__((unused)) char *
form_sql(const char *query)
{
	char	 path[] = "/tmp/ct-e2e-sql.XXXXXX", *cmd, *out;
	size_t	 n = 0, size = 4096;
	FILE	*f, *p;
	int	 fd, c;

	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("cannot write a temporary file");
	fputs(query, f);
	fclose(f);
	if (asprintf(&cmd, "psql -X -q -At -v ON_ERROR_STOP=1 -h %s -U "
	    "postgres caseterm -f %s", getenv("CT_TEST_SOCK"), path) < 0)
		fail();
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	out = malloc(size);
	while ((c = fgetc(p)) != EOF) {
		if (n + 1 >= size)
			out = realloc(out, size *= 2);
		out[n++] = (char)c;
	}
	if (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
	pclose(p);
	unlink(path);
	return out;
}

/* A person the user's unit already knows: the applicant of a case. */
static __attribute__((unused)) void
form_known_person(const char *login, const char *name, const char *phone,
    const char *id)
{
	char	*q;

	if (asprintf(&q, "BEGIN; SELECT set_config('caseterm.user_id', "
	    "(SELECT id::text FROM caseterm.app_user WHERE login = '%s'), true)"
	    " \\g /dev/null\nSELECT count(*) FROM caseterm.register_consultation("
	    "'%s', '%s', '%s', '旧案', NULL) \\g /dev/null\nCOMMIT;", login,
	    name, phone, id) < 0)
		fail();
	free(form_sql(q));
	free(q);
}

static __attribute__((unused)) void
form_no_drafts(const char *login)
{
	char	*q;

	if (asprintf(&q, "DELETE FROM caseterm.form_draft WHERE user_id = "
	    "(SELECT id FROM caseterm.app_user WHERE login = '%s');", login) < 0)
		fail();
	free(form_sql(q));
	free(q);
}

/* The user's draft of form as "field cursor_pos", or "" when none. */
static __attribute__((unused)) char *
form_draft_of(const char *login, const char *form)
{
	char	*q, *r;

	if (asprintf(&q, "SELECT field || ' ' || cursor_pos FROM "
	    "caseterm.form_draft d JOIN caseterm.app_user u ON u.id = d.user_id"
	    " WHERE u.login = '%s' AND d.form = '%s';", login, form) < 0)
		fail();
	r = form_sql(q);
	free(q);
	return r;
}

/* The value of field in the user's draft of form, or "". */
static __attribute__((unused)) char *
form_draft_value(const char *login, const char *form, const char *field)
{
	char	*q, *r;

	if (asprintf(&q, "SELECT d.data->>'%s' FROM caseterm.form_draft d "
	    "JOIN caseterm.app_user u ON u.id = d.user_id WHERE u.login = '%s' "
	    "AND d.form = '%s';", field, login, form) < 0)
		fail();
	r = form_sql(q);
	free(q);
	return r;
}

/* The pid in the newest "UI process N started" line of user's session. */
static __attribute__((unused)) pid_t
form_ui_pid(const char *user)
{
	char	 line[512], *p, want[64];
	FILE	*f = fopen(getenv("CT_TEST_LOG"), "r");
	pid_t	 pid = 0;

	assert_non_null(f);
	snprintf(want, sizeof want, " %s ", user);
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, want) != NULL &&
		    (p = strstr(line, "UI process ")) != NULL)
			pid = (pid_t)atol(p + 11);
	fclose(f);
	return pid;
}

/* The parent of pid: the session process of a UI. */
static __attribute__((unused)) pid_t
form_parent(pid_t pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	long	 ppid = 0;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) != NULL && (p = strrchr(buf, ')')) != NULL)
		sscanf(p + 2, "%*c %ld", &ppid);
	fclose(f);
	return (pid_t)ppid;
}

/* Wait until the condition's SQL prints want (drafts are saved from
 * another process, a moment later). */
static __attribute__((unused)) void
form_wait_sql(const char *query, const char *want)
{
	char	*got = NULL;
	int	 i;

	for (i = 0; i < 100; i++) {
		free(got);
		got = form_sql(query);
		if (strcmp(got, want) == 0) {
			free(got);
			return;
		}
		usleep(100 * 1000);
	}
	fail_msg("%s: got \"%s\", want \"%s\"", query, got, want);
}

#endif
