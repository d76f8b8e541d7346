/*
 * ctl-migrate.c — casetermctl migrate: apply sql/NNN_name.sql in order,
 * each in its own transaction, and record it with its checksum in
 * caseterm.schema_migrations.  Running it again applies nothing; a file
 * changed after it was applied is an error, never silently skipped.  An
 * advisory lock keeps two operators from migrating at once.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static char *
ctl_slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "casetermctl: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "casetermctl: %s: read error\n", path);
		exit(1);
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static int
ctl_is_migration(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return n > 8 && d->d_name[0] >= '0' && d->d_name[0] <= '9' &&
	    strcmp(d->d_name + n - 4, ".sql") == 0;
}

static int
ctl_apply(struct ctl *ctl, const char *dir, const char *name)
{
	PGresult	*res;
	const char	*p[3];
	char		*path, *sql, version[16];
	int		 applied;

	snprintf(version, sizeof version, "%d", atoi(name));
	xasprintf(&path, "%s/%s", dir, name);
	sql = ctl_slurp(path);
	p[0] = version;
	p[1] = name;
	p[2] = sql;
	res = ctl_exec(ctl, "SELECT md5($2) = checksum FROM "
	    "caseterm.schema_migrations WHERE version = $1::int", 2,
	    (const char *const[]){ version, sql });
	applied = PQntuples(res);
	if (applied == 1 && strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		fprintf(stderr, "casetermctl: %s was changed after it was "
		    "applied; write a new migration instead\n", path);
		exit(1);
	}
	PQclear(res);
	if (applied == 0) {
		PQclear(ctl_exec(ctl, "BEGIN", 0, NULL));
		PQclear(ctl_exec(ctl, "SELECT pg_advisory_xact_lock(12348)", 0,
		    NULL));
		/* A trusted file of ours: the one place SQL runs unparameterised. */
		res = PQexec(ctl->db->conn, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "casetermctl: %s: %s", path,
			    PQresultErrorMessage(res));
			exit(1);
		}
		PQclear(res);
		PQclear(ctl_exec(ctl, "INSERT INTO caseterm.schema_migrations "
		    "(version, name, checksum) VALUES ($1::int, $2, md5($3))",
		    3, p));
		PQclear(ctl_exec(ctl, "COMMIT", 0, NULL));
		printf("applied %s\n", name);
	}
	free(sql);
	free(path);
	return applied == 0;
}

int
ctl_migrate(struct ctl *ctl, int argc, char **argv)
{
	struct dirent	**names;
	int		  i, n, count = 0;

	PQclear(ctl_exec(ctl, "CREATE SCHEMA IF NOT EXISTS caseterm", 0, NULL));
	PQclear(ctl_exec(ctl, "CREATE TABLE IF NOT EXISTS "
	    "caseterm.schema_migrations (version int PRIMARY KEY, "
	    "name text NOT NULL, checksum text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL));
	if ((n = scandir(ctl->cfg->sql_dir, &names, ctl_is_migration,
	    alphasort)) < 0) {
		fprintf(stderr, "casetermctl: %s: %s\n", ctl->cfg->sql_dir,
		    strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		count += ctl_apply(ctl, ctl->cfg->sql_dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	printf("schema up to date (%d migration%s applied now)\n", count,
	    count == 1 ? "" : "s");
	return 0;
}
