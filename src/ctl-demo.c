/*
 * ctl-demo.c — casetermctl demo: the Zhenjiang org tree and demo users.
 *
 * The city and its seven district-level units come from
 * data/zhenjiang_districts.csv, the towns and streets from
 * data/zhenjiang_streets.csv (NBS division codes); each town gets two
 * village-level service stations.  Loading again updates in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* The demo users; every one has the password DEMO_PASSWORD. */
#define DEMO_PASSWORD	"demo1234"
static const struct demo_user {
	const char	*login, *name, *unit, *roles, *locale;
} demo_users[] = {
	{ "city_admin", "王芳", "321100", "admin,supervisor,analyst", "zh_CN" },
	{ "city_hotline", "赵丽", "321100", "intake,dispatcher", "zh_CN" },
	{ "city_analyst", "陈静", "321100", "analyst", "zh_CN" },
	{ "jk_district", "李强", "321102", "dispatcher,supervisor,intake",
	    "zh_CN" },
	{ "zd_town", "张敏", "321102001", "intake,handler", "zh_CN" },
	{ "zd_village", "刘洋", "321102001201", "intake", "zh_CN" },
	{ "en_clerk", "Emily Chen", "321102002", "intake,handler", "en" },
};

/* Split a CSV line in place: fields separated by commas, quotes dropped. */
static int
demo_split(char *line, char **f, int max)
{
	int	 n = 0;
	char	*p = line, *q;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		if (*p == '"') {
			f[n++] = ++p;
			if ((q = strchr(p, '"')) == NULL)
				return -1;
			*q = '\0';
			p = q + 1;
		} else {
			f[n++] = p;
			p += strcspn(p, ",");
		}
		if (*p != ',') {
			*p = '\0';
			break;
		}
		*p++ = '\0';
	}
	return n;
}

static void
demo_unit(struct ctl *ctl, const char *code, const char *name,
    const char *level, const char *kind, const char *parent)
{
	const char	*p[5] = { code, name, level, kind, parent };

	PQclear(ctl_exec(ctl, "INSERT INTO caseterm.org_unit "
	    "(code, name, level, kind, parent_id) SELECT $1, $2, $3, $4, "
	    "(SELECT id FROM caseterm.org_unit WHERE code = $5) "
	    "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "
	    "level = EXCLUDED.level, kind = EXCLUDED.kind, "
	    "parent_id = EXCLUDED.parent_id", 5, p));
}

static FILE *
demo_open(struct ctl *ctl, const char *name)
{
	FILE	*f;
	char	*path;

	xasprintf(&path, "%s/%s", ctl->cfg->data_dir, name);
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "casetermctl: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	free(path);
	return f;
}

static int
demo_units(struct ctl *ctl)
{
	static const char *const villages[2][2] = {
		{ "第一社区服务站", "第二社区服务站" },	/* streets */
		{ "东村服务站", "西村服务站" },		/* towns */
	};
	char	 line[512], *f[5], *name, code[32];
	FILE	*fp;
	int	 n = 0, v, town;

	fp = demo_open(ctl, "zhenjiang_districts.csv");
	while (fgets(line, sizeof line, fp) != NULL) {
		if (demo_split(line, f, 2) != 2 || strcmp(f[0], "code") == 0)
			continue;
		xasprintf(&name, "%s司法局", f[1]);
		if (strcmp(f[0], "321100") == 0)
			demo_unit(ctl, f[0], name, "city", "office", NULL);
		else
			demo_unit(ctl, f[0], name, "district", "office",
			    "321100");
		free(name);
		n++;
	}
	fclose(fp);
	fp = demo_open(ctl, "zhenjiang_streets.csv");
	while (fgets(line, sizeof line, fp) != NULL) {
		if (demo_split(line, f, 3) != 3)
			continue;
		xasprintf(&name, "%s司法所", f[1]);
		demo_unit(ctl, f[0], name, "town", "office", f[2]);
		free(name);
		town = strstr(f[1], "街道") == NULL;
		for (v = 0; v < 2; v++) {
			snprintf(code, sizeof code, "%s%03d", f[0], 201 + v);
			xasprintf(&name, "%s%s", f[1], villages[town][v]);
			demo_unit(ctl, code, name, "village", "station", f[0]);
			free(name);
		}
		n += 3;
	}
	fclose(fp);
	return n;
}

int
ctl_demo(struct ctl *ctl, int argc, char **argv)
{
	size_t	 i;
	int	 n;

	PQclear(ctl_exec(ctl, "BEGIN", 0, NULL));
	n = demo_units(ctl);
	for (i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *u = &demo_users[i];
		if (ctl_user_upsert(ctl, u->login, u->name, u->unit, u->roles,
		    u->locale, DEMO_PASSWORD) != 0)
			return 1;
	}
	PQclear(ctl_exec(ctl, "COMMIT", 0, NULL));
	printf("demo data: %d units, %zu users\n", n,
	    sizeof demo_users / sizeof demo_users[0]);
	printf("%-14s %-10s %-22s %-30s %s\n", "login", "password", "unit",
	    "roles", "language");
	for (i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *u = &demo_users[i];
		printf("%-14s %-10s %-22s %-30s %s\n", u->login, DEMO_PASSWORD,
		    u->unit, u->roles, u->locale);
	}
	if (ctl_demo_lifecycle(ctl) != 0)
		return 1;
	PQclear(ctl_exec(ctl, "BEGIN", 0, NULL));
	if ((n = ctl_demo_knowledge(ctl)) < 0)
		return 1;
	PQclear(ctl_exec(ctl, "COMMIT", 0, NULL));
	printf("knowledge base: %d articles\n", n);
	return 0;
}
