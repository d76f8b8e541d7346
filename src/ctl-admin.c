/*
 * ctl-admin.c — casetermctl user, unit, codes and sessions: the
 * administration of sql/021_admin.sql from the shell.
 *
 * Every command calls the same SECURITY DEFINER functions as the
 * administration screens.  casetermctl connects as the schema's owner and
 * sets no acting user, so the functions treat it as the operator: the
 * whole org tree is in scope, and the audit rows name no user but the
 * source "casetermctl OSUSER" (caseterm.source).  Imports run in one
 * transaction: a bad line changes nothing and is reported as FILE:LINE.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

/* ---------------------------------------------------------------- helpers */

/*
 * Run one parameterised statement.  On an error print the server's message
 * with its detail and hint ("casetermctl: PREFIX: message (detail; hint)")
 * and return NULL; the caller decides whether to go on.
 */
static PGresult *
ctl_run_at(struct ctl *ctl, const char *where, const char *sql, int n,
    const char *const *p)
{
	PGresult	*res;
	ExecStatusType	 st;
	const char	*m, *d, *h, *col;

	res = PQexecParams(ctl->db->conn, sql, n, NULL, p, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	h = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	col = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	fprintf(stderr, "casetermctl: %s%s%s", where != NULL ? where : "",
	    where != NULL ? ": " : "", m != NULL ? m :
	    PQerrorMessage(ctl->db->conn));
	if (col != NULL)
		fprintf(stderr, " [%s]", col);
	if ((d != NULL && *d != '\0') || h != NULL)
		fprintf(stderr, " (%s%s%s)", d != NULL ? d : "",
		    d != NULL && *d != '\0' && h != NULL ? "; " : "",
		    h != NULL ? h : "");
	fputc('\n', stderr);
	PQclear(res);
	return NULL;
}

PGresult *
ctl_run(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	return ctl_run_at(ctl, NULL, sql, n, p);
}

/* Run a statement whose result does not matter; 0 or 1 (error printed). */
static int
ctl_do(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	PGresult	*res;

	if ((res = ctl_run(ctl, sql, n, p)) == NULL)
		return 1;
	PQclear(res);
	return 0;
}

void
ctl_admin_session(struct ctl *ctl)
{
	struct passwd	*pw;
	const char	*who = getenv("SUDO_USER");
	char		*src;

	if (who == NULL || *who == '\0')
		who = (pw = getpwuid(getuid())) != NULL ? pw->pw_name : "?";
	xasprintf(&src, "casetermctl %s", who);
	PQclear(ctl_exec(ctl, "SELECT set_config('caseterm.source', $1, false), "
	    "set_config('caseterm.user_id', '', false), "
	    "set_config('client_encoding', 'UTF8', false)", 1,
	    (const char *const[]){ src }));
	free(src);
}

/* A column of a table printed for a person: padded to width columns of
 * the terminal (Chinese characters take two). */
static void
cell(const char *s, int width)
{
	char	*p = utf8_pad(s, width);

	fputs(p, stdout);
	fputs("  ", stdout);
	free(p);
}

/* A line of a text file without its end; NULL at the end.  Caller frees. */
static char *
read_line(FILE *f)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;

	if ((n = getline(&line, &cap, f)) < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* Skip leading blanks; true for a blank line or a # comment. */
static bool
skip_line(const char *s)
{
	s += strspn(s, " \t");
	return *s == '\0' || *s == '#';
}

static FILE *
open_input(const char *path)
{
	FILE	*f;

	if (strcmp(path, "-") == 0)
		return stdin;
	if ((f = fopen(path, "r")) == NULL)
		fprintf(stderr, "casetermctl: %s: %s\n", path, strerror(errno));
	return f;
}

static void
close_input(FILE *f)
{
	if (f != NULL && f != stdin)
		fclose(f);
}

/* 0 for 'added', 1 for 'updated', 2 for 'unchanged' (unit_save, code_save). */
static int
result_index(const char *r)
{
	return strcmp(r, "added") == 0 ? 0 : strcmp(r, "updated") == 0 ? 1 : 2;
}

/* Dispatch "NOUN VERB args" to the verb's function; 2 and the usage when
 * no verb matches. */
struct verb {
	const char	*name;
	int		 min, max;	/* arguments after the verb */
	int		(*run)(struct ctl *, int, char **);
	const char	*usage;
};

static int
dispatch(struct ctl *ctl, const char *noun, const struct verb *v, size_t nv,
    int argc, char **argv)
{
	size_t	 i;

	if (argc >= 2)
		for (i = 0; i < nv; i++)
			if (strcmp(argv[1], v[i].name) == 0) {
				if (v[i].min >= 0 && (argc - 2 < v[i].min ||
				    argc - 2 > v[i].max))
					break;
				ctl_admin_session(ctl);
				optind = 0;
				return v[i].run(ctl, argc - 1, argv + 1);
			}
	fprintf(stderr, "usage:");
	for (i = 0; i < nv; i++)
		fprintf(stderr, "%s casetermctl %s %s %s\n", i == 0 ? "" : "      ",
		    noun, v[i].name, v[i].usage);
	return 2;
}

/* ---------------------------------------------------------------- user */

static int
user_list(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[1] = { argc > 1 ? argv[1] : NULL };
	PGresult	*res;
	int		 i;

	if ((res = ctl_run(ctl, "SELECT login, display_name, unit_code, "
	    "array_to_string(roles, ','), locale, "
	    "CASE WHEN disabled THEN 'disabled' ELSE 'active' END, "
	    "CASE WHEN has_password THEN 'yes' ELSE 'no' END, keys, "
	    "coalesce(to_char(last_login AT TIME ZONE 'Asia/Shanghai', "
	    "'YYYY-MM-DD HH24:MI'), '-') FROM caseterm.user_list($1)", 1, p))
	    == NULL)
		return 1;
	cell("login", 14); cell("name", 12); cell("unit", 14);
	cell("roles", 30); cell("lang", 5); cell("status", 8);
	cell("password", 8); cell("keys", 4);
	printf("last login\n");
	for (i = 0; i < PQntuples(res); i++) {
		cell(PQgetvalue(res, i, 0), 14);
		cell(PQgetvalue(res, i, 1), 12);
		cell(PQgetvalue(res, i, 2), 14);
		cell(PQgetvalue(res, i, 3), 30);
		cell(PQgetvalue(res, i, 4), 5);
		cell(PQgetvalue(res, i, 5), 8);
		cell(PQgetvalue(res, i, 6), 8);
		cell(PQgetvalue(res, i, 7), 4);
		printf("%s\n", PQgetvalue(res, i, 8));
	}
	PQclear(res);
	return 0;
}

static int
user_add(struct ctl *ctl, int argc, char **argv)
{
	const char	*name = NULL, *unit = NULL, *roles = NULL;
	const char	*locale = NULL, *p[6];
	char		*pw, *hash = NULL;
	int		 ch, ret, ask = 0;

	while ((ch = getopt(argc, argv, "n:u:r:l:p")) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'u': unit = optarg; break;
		case 'r': roles = optarg; break;
		case 'l': locale = optarg; break;
		case 'p': ask = 1; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || name == NULL || unit == NULL || roles == NULL)
		goto usage;
	if (ask) {
		pw = ctl_read_password("New password: ");
		if (strlen(pw) < 8) {
			fprintf(stderr, "casetermctl: a password needs 8 "
			    "characters or more\n");
			passwd_burn(pw, strlen(pw));
			free(pw);
			return 1;
		}
		hash = passwd_hash(pw);
		passwd_burn(pw, strlen(pw));
		free(pw);
		if (hash == NULL) {
			fprintf(stderr, "casetermctl: cannot hash the password\n");
			return 1;
		}
	}
	p[0] = argv[optind];
	p[1] = name;
	p[2] = unit;
	p[3] = roles;
	p[4] = locale;
	p[5] = hash;
	ret = ctl_do(ctl, "SELECT caseterm.user_create($1, $2, $3, "
	    "string_to_array($4, ','), $5, $6)", 6, p);
	free(hash);
	if (ret == 0)
		printf("user %s created%s\n", argv[optind], ask ? "" :
		    " (no password: add a key, or set one with passwd)");
	return ret;
usage:
	fprintf(stderr, "usage: casetermctl user add LOGIN -n NAME -u UNIT-CODE "
	    "-r ROLE[,ROLE...] [-l zh_CN|en] [-p]\n");
	return 2;
}

static int
user_disable(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], strcmp(argv[0], "disable") == 0 ?
	    "true" : "false" };

	if (ctl_do(ctl, "SELECT caseterm.user_set_disabled($1, $2::boolean)",
	    2, p) != 0)
		return 1;
	printf("user %s %sd\n", argv[1], argv[0]);
	return 0;
}

static int
user_roles(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], argv[2] };

	if (ctl_do(ctl, "SELECT caseterm.user_set_roles($1, "
	    "string_to_array($2, ','))", 2, p) != 0)
		return 1;
	printf("roles of %s set\n", argv[1]);
	return 0;
}

static int
user_move(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], argv[2] };

	if (ctl_do(ctl, "SELECT caseterm.user_move($1, $2)", 2, p) != 0)
		return 1;
	printf("user %s moved to %s\n", argv[1], argv[2]);
	return 0;
}

static int
user_locale(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], argv[2] };

	if (ctl_do(ctl, "SELECT caseterm.user_set_locale($1, $2)", 2, p) != 0)
		return 1;
	printf("language of %s set\n", argv[1]);
	return 0;
}

static int
user_name(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], argv[2] };

	if (ctl_do(ctl, "SELECT caseterm.user_set_name($1, $2)", 2, p) != 0)
		return 1;
	printf("name of %s set\n", argv[1]);
	return 0;
}

/* Every key line of FILE ("-": standard input), in one transaction. */
static int
user_key_add(struct ctl *ctl, int argc, char **argv)
{
	FILE		*f;
	PGresult	*res;
	char		*line, *id, where[300];
	const char	*p[2];
	int		 lineno = 0, added = 0;

	if ((f = open_input(argv[2])) == NULL)
		return 1;
	PQclear(ctl_exec(ctl, "BEGIN", 0, NULL));
	while ((line = read_line(f)) != NULL) {
		lineno++;
		if (skip_line(line)) {
			free(line);
			continue;
		}
		p[0] = argv[1];
		p[1] = line;
		snprintf(where, sizeof where, "%s:%d", argv[2], lineno);
		res = ctl_run_at(ctl, where, "SELECT "
		    "caseterm.user_key_add_openssh($1, $2)", 2, p);
		free(line);
		if (res == NULL) {
			PQclear(ctl_exec(ctl, "ROLLBACK", 0, NULL));
			close_input(f);
			return 1;
		}
		p[0] = id = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		res = ctl_exec(ctl, "SELECT fingerprint, coalesce(comment, '') "
		    "FROM caseterm.user_key WHERE id = $1::bigint", 1, p);
		free(id);
		printf("key %s %s added\n", PQgetvalue(res, 0, 0),
		    PQgetvalue(res, 0, 1));
		PQclear(res);
		added++;
	}
	close_input(f);
	if (added == 0) {
		PQclear(ctl_exec(ctl, "ROLLBACK", 0, NULL));
		fprintf(stderr, "casetermctl: %s: no public key found\n", argv[2]);
		return 1;
	}
	PQclear(ctl_exec(ctl, "COMMIT", 0, NULL));
	printf("%d key%s added to %s\n", added, added == 1 ? "" : "s", argv[1]);
	return 0;
}

static int
user_key_list(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[1] = { argv[1] };
	PGresult	*res;
	int		 i;

	if ((res = ctl_run(ctl, "SELECT key_id, key_type, fingerprint, "
	    "coalesce(comment, ''), to_char(added_at AT TIME ZONE "
	    "'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), coalesce(added_by, "
	    "'casetermctl') FROM caseterm.user_key_list($1)", 1, p)) == NULL)
		return 1;
	for (i = 0; i < PQntuples(res); i++)
		printf("%s  %s  %s  %s  added %s by %s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
		    PQgetvalue(res, i, 5));
	PQclear(res);
	return 0;
}

static int
user_key_del(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], argv[2] };

	if (ctl_do(ctl, "SELECT caseterm.user_key_remove($1, $2)", 2, p) != 0)
		return 1;
	printf("key %s of %s removed\n", argv[2], argv[1]);
	return 0;
}

int
ctl_user(struct ctl *ctl, int argc, char **argv)
{
	static const struct verb verbs[] = {
		{ "list", 0, 1, user_list, "[UNIT-CODE]" },
		{ "add", -1, 0, user_add, "LOGIN -n NAME -u UNIT-CODE "
		    "-r ROLE[,ROLE...] [-l zh_CN|en] [-p]" },
		{ "disable", 1, 1, user_disable, "LOGIN" },
		{ "enable", 1, 1, user_disable, "LOGIN" },
		{ "roles", 2, 2, user_roles, "LOGIN ROLE[,ROLE...]" },
		{ "move", 2, 2, user_move, "LOGIN UNIT-CODE" },
		{ "locale", 2, 2, user_locale, "LOGIN zh_CN|en" },
		{ "name", 2, 2, user_name, "LOGIN NAME" },
		{ "key-add", 2, 2, user_key_add, "LOGIN FILE|-" },
		{ "key-list", 1, 1, user_key_list, "LOGIN" },
		{ "key-del", 2, 2, user_key_del, "LOGIN KEY-ID|SHA256:FINGERPRINT" },
	};

	return dispatch(ctl, "user", verbs, sizeof verbs / sizeof verbs[0],
	    argc, argv);
}

/* ---------------------------------------------------------------- unit */

static int
unit_list(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[1] = { argc > 1 ? argv[1] : NULL };
	PGresult	*res;
	char		*indent;
	int		 i, depth;

	if ((res = ctl_run(ctl, "SELECT code, name, level, kind, depth, "
	    "CASE WHEN disabled THEN 'disabled' ELSE '' END, users "
	    "FROM caseterm.unit_list($1)", 1, p)) == NULL)
		return 1;
	for (i = 0; i < PQntuples(res); i++) {
		/* Indented from the first row, the root of what is listed. */
		depth = atoi(PQgetvalue(res, i, 4)) - atoi(PQgetvalue(res, 0, 4));
		if (depth < 0)
			depth = 0;
		if (depth > 8)
			depth = 8;
		xasprintf(&indent, "%*s%s", 2 * depth, "", PQgetvalue(res, i, 0));
		cell(indent, 30);
		free(indent);
		cell(PQgetvalue(res, i, 1), 36);
		cell(PQgetvalue(res, i, 2), 8);
		cell(PQgetvalue(res, i, 3), 9);
		printf("users %s %s\n", PQgetvalue(res, i, 6),
		    PQgetvalue(res, i, 5));
	}
	PQclear(res);
	return 0;
}

static int
unit_add(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[5] = { NULL };
	int		 ch;

	while ((ch = getopt(argc, argv, "n:p:l:k:")) != -1) {
		switch (ch) {
		case 'n': p[1] = optarg; break;
		case 'p': p[2] = optarg; break;
		case 'l': p[3] = optarg; break;
		case 'k': p[4] = optarg; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || p[1] == NULL)
		goto usage;
	p[0] = argv[optind];
	if (ctl_do(ctl, "SELECT caseterm.unit_add($1, $2, $3, $4, $5)", 5, p)
	    != 0)
		return 1;
	printf("unit %s added\n", p[0]);
	return 0;
usage:
	fprintf(stderr, "usage: casetermctl unit add CODE -n NAME -p PARENT-CODE "
	    "[-l LEVEL] [-k KIND]\n");
	return 2;
}

static int
unit_rename(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], argv[2] };

	if (ctl_do(ctl, "SELECT caseterm.unit_rename($1, $2)", 2, p) != 0)
		return 1;
	printf("unit %s renamed\n", argv[1]);
	return 0;
}

static int
unit_move(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], argv[2] };

	if (ctl_do(ctl, "SELECT caseterm.unit_move($1, $2)", 2, p) != 0)
		return 1;
	printf("unit %s moved under %s\n", argv[1], argv[2]);
	return 0;
}

static int
unit_disable(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[2] = { argv[1], strcmp(argv[0], "disable") == 0 ?
	    "true" : "false" };

	if (ctl_do(ctl, "SELECT caseterm.unit_set_disabled($1, $2::boolean)",
	    2, p) != 0)
		return 1;
	printf("unit %s %sd\n", argv[1], argv[0]);
	return 0;
}

/*
 * Split a CSV line in place: comma-separated, a field may be quoted with
 * "..." and a quote inside doubled ("").  Returns the number of fields.
 */
static int
csv_split(char *line, char **f, int max)
{
	char	*r = line, *w;
	int	 n = 0;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = w = r;
		if (*r == '"') {
			r++;
			for (;;) {
				if (*r == '\0')
					return -1;	/* unterminated */
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else
					*w++ = *r++;
			}
			if (*r != ',' && *r != '\0')
				return -1;
		} else
			while (*r != ',' && *r != '\0')
				*w++ = *r++;
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		r++;
		*w = '\0';
	}
}

struct unit_row {
	int	 line;
	char	*code, *name, *parent, *level, *kind;
	bool	 done;
	char	*buf;
};

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/*
 * Rows: code,name,parent_code[,level[,kind]] — or, when the first line is
 * a header naming a column "code", the columns by name (code, name,
 * parent or parent_code, level, kind; others ignored).  A blank level is
 * one below the parent's; a blank kind is office (kept for an existing
 * unit).  Parents are saved before their children whatever the order.
 */
static int
unit_import(struct ctl *ctl, int argc, char **argv)
{
	FILE		*f;
	struct unit_row	*rows = NULL;
	char		*line, *fld[32], where[300];
	const char	*p[5];
	int		 col[5] = { 0, 1, 2, 3, 4 }, nrows = 0, lineno = 0;
	int		 i, j, n, pass, left, counts[3] = { 0 }, ret = 1;
	bool		 header = false, progress;
	PGresult	*res;

	if ((f = open_input(argv[1])) == NULL)
		return 1;
	while ((line = read_line(f)) != NULL) {
		lineno++;
		if (skip_line(line)) {
			free(line);
			continue;
		}
		if ((n = csv_split(line, fld, 32)) < 2) {
			fprintf(stderr, "casetermctl: %s:%d: not a CSV row of at "
			    "least code,name\n", argv[1], lineno);
			free(line);
			goto out;
		}
		if (nrows == 0 && !header && strcasecmp(fld[0], "code") == 0) {
			static const char *const names[5][2] = {
			    { "code", NULL }, { "name", NULL },
			    { "parent", "parent_code" }, { "level", NULL },
			    { "kind", NULL } };
			header = true;
			for (i = 0; i < 5; i++) {
				col[i] = -1;
				for (j = 0; j < n; j++)
					if (strcasecmp(fld[j], names[i][0]) == 0 ||
					    (names[i][1] != NULL && strcasecmp(
					    fld[j], names[i][1]) == 0))
						col[i] = j;
			}
			free(line);
			if (col[1] < 0) {
				fprintf(stderr, "casetermctl: %s: the header "
				    "names no column name\n", argv[1]);
				goto out;
			}
			continue;
		}
		if (!header && n > 5) {
			fprintf(stderr, "casetermctl: %s:%d: more than five "
			    "columns (code,name,parent,level,kind) and no "
			    "header\n", argv[1], lineno);
			free(line);
			goto out;
		}
		rows = xreallocarray(rows, (size_t)nrows + 1, sizeof *rows);
		rows[nrows].line = lineno;
		rows[nrows].buf = line;
		rows[nrows].done = false;
		rows[nrows].code = col[0] >= 0 && col[0] < n ? fld[col[0]] : NULL;
		rows[nrows].name = col[1] >= 0 && col[1] < n ? fld[col[1]] : NULL;
		rows[nrows].parent = col[2] >= 0 && col[2] < n ? fld[col[2]] : NULL;
		rows[nrows].level = col[3] >= 0 && col[3] < n ? fld[col[3]] : NULL;
		rows[nrows].kind = col[4] >= 0 && col[4] < n ? fld[col[4]] : NULL;
		nrows++;
	}
	PQclear(ctl_exec(ctl, "BEGIN", 0, NULL));
	for (left = nrows, pass = 0; left > 0; pass++) {
		progress = false;
		for (i = 0; i < nrows; i++) {
			if (rows[i].done)
				continue;
			/* Wait while the parent is a later row of the file. */
			for (j = 0; j < nrows && nonempty(rows[i].parent) != NULL;
			    j++)
				if (!rows[j].done && j != i &&
				    nonempty(rows[j].code) != NULL &&
				    strcmp(rows[j].code, rows[i].parent) == 0)
					break;
			if (nonempty(rows[i].parent) != NULL && j < nrows)
				continue;
			p[0] = rows[i].code;
			p[1] = rows[i].name;
			p[2] = nonempty(rows[i].parent);
			p[3] = nonempty(rows[i].level);
			p[4] = nonempty(rows[i].kind);
			snprintf(where, sizeof where, "%s:%d", argv[1],
			    rows[i].line);
			if ((res = ctl_run_at(ctl, where, "SELECT "
			    "caseterm.unit_save($1, $2, $3, $4, $5)", 5, p))
			    == NULL) {
				PQclear(ctl_exec(ctl, "ROLLBACK", 0, NULL));
				goto out;
			}
			counts[result_index(PQgetvalue(res, 0, 0))]++;
			PQclear(res);
			rows[i].done = true;
			left--;
			progress = true;
		}
		if (!progress) {
			for (i = 0; i < nrows && rows[i].done; i++)
				;
			fprintf(stderr, "casetermctl: %s:%d: the units' parents "
			    "form a cycle\n", argv[1], rows[i].line);
			PQclear(ctl_exec(ctl, "ROLLBACK", 0, NULL));
			goto out;
		}
	}
	PQclear(ctl_exec(ctl, "COMMIT", 0, NULL));
	printf("units: %d added, %d updated, %d unchanged\n", counts[0],
	    counts[1], counts[2]);
	ret = 0;
out:
	for (i = 0; i < nrows; i++)
		free(rows[i].buf);
	free(rows);
	close_input(f);
	return ret;
}

int
ctl_unit(struct ctl *ctl, int argc, char **argv)
{
	static const struct verb verbs[] = {
		{ "list", 0, 1, unit_list, "[CODE]" },
		{ "add", -1, 0, unit_add, "CODE -n NAME -p PARENT-CODE "
		    "[-l LEVEL] [-k KIND]" },
		{ "rename", 2, 2, unit_rename, "CODE NAME" },
		{ "move", 2, 2, unit_move, "CODE PARENT-CODE" },
		{ "disable", 1, 1, unit_disable, "CODE" },
		{ "enable", 1, 1, unit_disable, "CODE" },
		{ "import", 1, 1, unit_import, "CSV-FILE|-" },
	};

	return dispatch(ctl, "unit", verbs, sizeof verbs / sizeof verbs[0],
	    argc, argv);
}

/* ---------------------------------------------------------------- codes */

/*
 * One code a line, in the order they are to be offered: "LABEL" (the code
 * that has this label already, else the label is its own code), or
 * "CODE<TAB>LABEL[<TAB>ENGLISH LABEL]".  Blank lines and # comments are
 * skipped.
 */
static int
codes_import(struct ctl *ctl, int argc, char **argv)
{
	FILE		*f;
	PGresult	*res;
	char		*line, *code, *label, *en, *tab, sort[16], where[300];
	const char	*p[5];
	int		 lineno = 0, n = 0, counts[3] = { 0 };

	if ((f = open_input(argv[2])) == NULL)
		return 1;
	PQclear(ctl_exec(ctl, "BEGIN", 0, NULL));
	while ((line = read_line(f)) != NULL) {
		lineno++;
		if (skip_line(line)) {
			free(line);
			continue;
		}
		code = NULL;
		label = line;
		en = NULL;
		if ((tab = strchr(line, '\t')) != NULL) {
			*tab = '\0';
			code = line;
			label = tab + 1;
			if ((tab = strchr(label, '\t')) != NULL) {
				*tab = '\0';
				en = tab + 1;
			}
		}
		snprintf(sort, sizeof sort, "%d", 10 * ++n);
		p[0] = argv[1];
		p[1] = code;
		p[2] = label;
		p[3] = sort;
		p[4] = en;
		snprintf(where, sizeof where, "%s:%d", argv[2], lineno);
		res = ctl_run_at(ctl, where, "SELECT caseterm.code_save($1, $2, "
		    "$3, $4::int, $5)", 5, p);
		free(line);
		if (res == NULL) {
			PQclear(ctl_exec(ctl, "ROLLBACK", 0, NULL));
			close_input(f);
			return 1;
		}
		counts[result_index(PQgetvalue(res, 0, 0))]++;
		PQclear(res);
	}
	close_input(f);
	PQclear(ctl_exec(ctl, "COMMIT", 0, NULL));
	printf("%s: %d added, %d updated, %d unchanged\n", argv[1], counts[0],
	    counts[1], counts[2]);
	return 0;
}

static int
codes_list(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[1] = { argv[1] };
	PGresult	*res;
	int		 i;

	if ((res = ctl_run(ctl, "SELECT code, label, coalesce(label_en, ''), "
	    "CASE WHEN disabled THEN 'disabled' ELSE '' END "
	    "FROM caseterm.code_list($1)", 1, p)) == NULL)
		return 1;
	for (i = 0; i < PQntuples(res); i++) {
		cell(PQgetvalue(res, i, 0), 20);
		cell(PQgetvalue(res, i, 1), 24);
		cell(PQgetvalue(res, i, 2), 30);
		printf("%s\n", PQgetvalue(res, i, 3));
	}
	PQclear(res);
	return 0;
}

static int
codes_disable(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[3] = { argv[1], argv[2], strcmp(argv[0], "disable")
	    == 0 ? "true" : "false" };

	if (ctl_do(ctl, "SELECT caseterm.code_set_disabled($1, $2, "
	    "$3::boolean)", 3, p) != 0)
		return 1;
	printf("code %s of %s %sd\n", argv[2], argv[1], argv[0]);
	return 0;
}

int
ctl_codes(struct ctl *ctl, int argc, char **argv)
{
	static const struct verb verbs[] = {
		{ "import", 2, 2, codes_import, "KIND FILE|-" },
		{ "list", 1, 1, codes_list, "KIND" },
		{ "disable", 2, 2, codes_disable, "KIND CODE" },
		{ "enable", 2, 2, codes_disable, "KIND CODE" },
	};

	return dispatch(ctl, "codes", verbs, sizeof verbs / sizeof verbs[0],
	    argc, argv);
}

/* ---------------------------------------------------------------- sessions */

int
ctl_sessions(struct ctl *ctl, int argc, char **argv)
{
	const char	*p[1] = { "false" };
	PGresult	*res;
	int		 i;

	if (argc == 2 && strcmp(argv[1], "--all") == 0)
		p[0] = "true";
	else if (argc != 1) {
		fprintf(stderr, "usage: casetermctl sessions [--all]\n");
		return 2;
	}
	ctl_admin_session(ctl);
	if ((res = ctl_run(ctl, "SELECT session_id, login, display_name, "
	    "unit_code, source, method, to_char(started AT TIME ZONE "
	    "'Asia/Shanghai', 'MM-DD HH24:MI'), to_char(last_seen AT TIME ZONE "
	    "'Asia/Shanghai', 'MM-DD HH24:MI:SS'), CASE WHEN stale THEN 'stale' "
	    "ELSE '' END FROM caseterm.admin_sessions($1::boolean)", 1, p))
	    == NULL)
		return 1;
	cell("session", 8); cell("login", 14); cell("name", 12);
	cell("unit", 14); cell("from", 24); cell("method", 20);
	cell("started", 11);
	printf("last seen\n");
	for (i = 0; i < PQntuples(res); i++) {
		cell(PQgetvalue(res, i, 0), 8);
		cell(PQgetvalue(res, i, 1), 14);
		cell(PQgetvalue(res, i, 2), 12);
		cell(PQgetvalue(res, i, 3), 14);
		cell(PQgetvalue(res, i, 4), 24);
		cell(PQgetvalue(res, i, 5), 20);
		cell(PQgetvalue(res, i, 6), 11);
		printf("%s %s\n", PQgetvalue(res, i, 7), PQgetvalue(res, i, 8));
	}
	PQclear(res);
	return 0;
}
