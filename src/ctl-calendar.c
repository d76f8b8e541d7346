/*
 * ctl-calendar.c — casetermctl calendar import: load the official holiday
 * calendar (data/holiday-cn/YYYY.json: holidays and the weekend days worked
 * to make up for them) that deadlines are counted on; and the part of the
 * demo that the case lifecycle needs: the calendar of every year in
 * data/holiday-cn, the dispute categories of data/dispute_categories.txt,
 * and the specialised mediation bodies (traffic, medical, labour) and the
 * legal aid centre under each district.
 *
 * The JSON is not parsed here: each file's text goes to
 * caseterm.calendar_import($1::jsonb) (sql/004_calendar.sql), which checks
 * it and replaces that year's days, so importing again changes nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* The whole file as a string, or NULL with a message on stderr. */
static char *
cal_read(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "casetermctl: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap == 0 ? 16384 : cap * 2;
			if (cap > 16 * 1024 * 1024) {
				fprintf(stderr, "casetermctl: %s: too large\n", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "casetermctl: %s: read error\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/*
 * Import one file; print what it held unless quiet.  0 on success, else 1
 * with the database's message on stderr.
 */
static int
cal_import_file(struct ctl *ctl, const char *path, bool quiet)
{
	PGresult	*res;
	const char	*p[1];
	char		*text, *cause;

	if ((text = cal_read(path)) == NULL)
		return 1;
	p[0] = text;
	res = db_exec(ctl->db, "SELECT year, working_days, days_off, "
	    "listed_off, listed_workdays FROM caseterm.calendar_import($1::jsonb)",
	    1, p, &cause);
	free(text);
	if (res == NULL) {
		fprintf(stderr, "casetermctl: %s: %s\n", path, cause);
		free(cause);
		return 1;
	}
	if (!quiet && PQntuples(res) == 1)
		printf("%s: %s working days, %s days off (%s listed days off, "
		    "%s make-up working days)\n", PQgetvalue(res, 0, 0),
		    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
		    PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4));
	PQclear(res);
	return 0;
}

/* casetermctl calendar import FILE...: each file in its own transaction. */
int
ctl_calendar(struct ctl *ctl, int argc, char **argv)
{
	int	 i, ret = 0;

	if (argc < 3 || strcmp(argv[1], "import") != 0) {
		fprintf(stderr, "usage: casetermctl calendar import FILE...\n");
		return 2;
	}
	for (i = 2; i < argc; i++)
		if (cal_import_file(ctl, argv[i], false) != 0)
			ret = 1;
	return ret;
}

static int
cal_is_json(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return n > 5 && d->d_name[0] != '.' &&
	    strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Every data/holiday-cn/YYYY.json; the number of years, or -1. */
static int
demo_calendar(struct ctl *ctl)
{
	struct dirent	**names;
	char		 *dir, *path;
	int		  i, n, years = 0, failed = 0;

	xasprintf(&dir, "%s/holiday-cn", ctl->cfg->data_dir);
	if ((n = scandir(dir, &names, cal_is_json, alphasort)) < 0) {
		fprintf(stderr, "casetermctl: %s: %s\n", dir, strerror(errno));
		free(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]->d_name);
		if (cal_import_file(ctl, path, true) == 0)
			years++;
		else
			failed = 1;
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return failed ? -1 : years;
}

/*
 * data/dispute_categories.txt: a name a line, '#' comments.  The categories
 * are seeded by sql/005_case_model.sql (caseterm.dispute_category, which the
 * forms and legal_case.category use) with stable codes and English names; a
 * name the file adds gets a code of its own.
 */
static int
demo_categories(struct ctl *ctl)
{
	FILE		*fp;
	char		 line[512], *path, *s, *e;
	const char	*p[1];
	int		 n = 0;

	xasprintf(&path, "%s/dispute_categories.txt", ctl->cfg->data_dir);
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "casetermctl: %s: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	while (fgets(line, sizeof line, fp) != NULL) {
		s = line + strspn(line, " \t");
		if (*s == '#')
			continue;
		e = s + strcspn(s, "\r\n");
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (*s == '\0')
			continue;
		p[0] = s;
		PQclear(ctl_exec(ctl, "INSERT INTO caseterm.dispute_category "
		    "(code, name, name_en, sort) SELECT 'c_' || "
		    "substr(md5($1), 1, 12), $1, $1, 500 WHERE NOT EXISTS "
		    "(SELECT 1 FROM caseterm.dispute_category WHERE name = $1)",
		    1, p));
		n++;
	}
	fclose(fp);
	return n;
}

/* The specialised bodies every district gets in the demo. */
static const struct demo_body {
	const char	*suffix, *name, *kind, *specialty;
} demo_bodies[] = {
	{ "-JT", "道路交通事故人民调解委员会", "mediation", "traffic" },
	{ "-YL", "医疗纠纷人民调解委员会", "mediation", "medical" },
	{ "-LD", "劳动争议人民调解委员会", "mediation", "labour" },
	{ "-FY", "法律援助中心", "legal_aid", "" },
};

static int
demo_bodies_load(struct ctl *ctl)
{
	PGresult	*res;
	const char	*p[4];
	size_t		 i;
	int		 n = 0;

	for (i = 0; i < sizeof demo_bodies / sizeof demo_bodies[0]; i++) {
		p[0] = demo_bodies[i].suffix;
		p[1] = demo_bodies[i].name;
		p[2] = demo_bodies[i].kind;
		p[3] = demo_bodies[i].specialty;
		res = ctl_exec(ctl, "INSERT INTO caseterm.org_unit "
		    "(code, name, level, kind, specialty, parent_id) "
		    "SELECT d.code || $1, regexp_replace(d.name, '司法局$', '') "
		    "|| $2, 'district', $3, nullif($4, ''), d.id "
		    "FROM caseterm.org_unit d JOIN caseterm.org_unit c "
		    "ON c.id = d.parent_id "
		    "WHERE d.level = 'district' AND d.kind = 'office' "
		    "AND c.parent_id IS NULL "
		    "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "
		    "kind = EXCLUDED.kind, specialty = EXCLUDED.specialty, "
		    "parent_id = EXCLUDED.parent_id RETURNING id", 4, p);
		n += PQntuples(res);
		PQclear(res);
	}
	return n;
}

/* Called at the end of ctl_demo. */
int
ctl_demo_lifecycle(struct ctl *ctl)
{
	int	 years, cats, bodies;

	if ((years = demo_calendar(ctl)) < 0)
		return 1;
	PQclear(ctl_exec(ctl, "BEGIN", 0, NULL));
	if ((cats = demo_categories(ctl)) < 0)
		return 1;
	bodies = demo_bodies_load(ctl);
	PQclear(ctl_exec(ctl, "COMMIT", 0, NULL));
	printf("lifecycle: %d calendar years, %d dispute categories, "
	    "%d specialised bodies\n", years, cats, bodies);
	return 0;
}
