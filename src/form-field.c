/*
 * form-field.c — what a value typed into a field means: one checker per
 * field type, turning the text as typed ("t", "1,234.5", "139 1234 5678",
 * "hotline") into the value that is saved ("2026-11-27", "1234.50",
 * "13912345678", the code) and the text the field shows afterwards, or a
 * message saying what is wrong.  Also the conditions that show a field or
 * make it required.  Pure logic: no curses, no database; "today" is passed
 * in, so the tests fix it; it is read in China's time, as the database
 * reads it (Asia/Shanghai), whatever the server's time zone.
 */
#include <ctype.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

/* "Today" and "now" are China's (UTC+8 all year), as in the database. */
#define FIELD_CHINA	(8 * 3600)

/* White space at both ends, the ideographic space U+3000 included. */
static char *
field_trim(const char *s)
{
	const char	*e;

	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
		    e[-1] == '\r'))
			e--;
		else if (e - s >= 3 && strncmp(e - 3, "\xe3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	return xstrndup(s, (size_t)(e - s));
}

static int
field_days_in(int y, int m)
{
	static const int mdays[] = { 31,28,31,30,31,30,31,31,30,31,30,31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

/* Digits at *p, at most max of them, into *v; how many were read. */
static int
field_digits(const char **p, int max, int *v)
{
	int	 n = 0;

	*v = 0;
	while (n < max && isdigit((unsigned char)**p)) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/* "t", "t+3", "t-1": today in China plus days. */
static int
field_today(const char **p, time_t now, int *y, int *m, int *d)
{
	struct tm	 tm;
	int		 sign = 0, n = 0;
	time_t		 at;

	if (**p != 't' && **p != 'T')
		return -1;
	(*p)++;
	if (**p == '+' || **p == '-') {
		sign = **p == '+' ? 1 : -1;
		(*p)++;
		if (field_digits(p, 5, &n) == 0)
			return -1;
	}
	at = now + (time_t)sign * n * 86400 + FIELD_CHINA;
	gmtime_r(&at, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
	return 0;
}

/* A date at *p: YYYY-MM-DD (or / . as separators), YYYYMMDD, or t±N. */
static int
field_date_at(const char **p, time_t now, int *y, int *m, int *d)
{
	char	 sep;

	if (**p == 't' || **p == 'T') {
		if (field_today(p, now, y, m, d) != 0)
			return -1;
	} else if (field_digits(p, 4, y) != 4) {
		return -1;
	} else if (isdigit((unsigned char)**p)) {
		if (field_digits(p, 2, m) != 2 || field_digits(p, 2, d) != 2)
			return -1;
	} else {
		sep = **p;
		if (sep != '-' && sep != '/' && sep != '.')
			return -1;
		(*p)++;
		if (field_digits(p, 2, m) == 0 || **p != sep)
			return -1;
		(*p)++;
		if (field_digits(p, 2, d) == 0)
			return -1;
	}
	if (*y < 1900 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > field_days_in(*y, *m))
		return -1;
	return 0;
}

int
date_parse(const char *s, time_t now, int *y, int *m, int *d)
{
	if (field_date_at(&s, now, y, m, d) != 0 || *s != '\0')
		return -1;
	return 0;
}

int
datetime_parse(const char *s, time_t now, int *y, int *mo, int *d, int *h,
    int *mi)
{
	struct tm	 tm;
	bool		 today = *s == 't' || *s == 'T';

	if (field_date_at(&s, now, y, mo, d) != 0)
		return -1;
	if (*s == '\0') {
		/* "t" alone is now; a date alone lacks its time. */
		if (!today)
			return -1;
		now += FIELD_CHINA;
		gmtime_r(&now, &tm);
		*h = tm.tm_hour;
		*mi = tm.tm_min;
		return 0;
	}
	if (*s != ' ' && *s != 'T')
		return -1;
	while (*s == ' ' || *s == 'T')
		s++;
	if (field_digits(&s, 2, h) == 0)
		return -1;
	if (*s == ':')
		s++;
	if (field_digits(&s, 2, mi) != 2 || *s != '\0')
		return -1;
	if (*h > 23 || *mi > 59)
		return -1;
	return 0;
}

/* "1234", "1,234.5", "¥1234.56", "1234.50元": yuan to fen (cents). */
int
money_parse(const char *s, long long *cents)
{
	long long	 v = 0;
	int		 n = 0, frac = 0, nfrac = 0, group = -1;

	if (strncmp(s, "\xc2\xa5", 2) == 0)		/* ¥ */
		s += 2;
	else if (strncmp(s, "\xef\xbf\xa5", 3) == 0)	/* ￥ */
		s += 3;
	while (*s == ' ')
		s++;
	for (; isdigit((unsigned char)*s) || *s == ','; s++) {
		if (*s == ',') {
			/* Thousands separators: groups of exactly 3. */
			if (n == 0 || (group != -1 && group != 3))
				return -1;
			group = 0;
			continue;
		}
		if (group != -1)
			group++;
		if (++n > 12)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (n == 0 || (group != -1 && group != 3))
		return -1;
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++) {
			if (++nfrac > 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (nfrac == 0)
			return -1;
		if (nfrac == 1)
			frac *= 10;
	}
	if (strcmp(s, "\xe5\x85\x83") == 0)		/* 元 */
		s += 3;
	if (*s != '\0')
		return -1;
	*cents = v * 100 + frac;
	return 0;
}

int
integer_parse(const char *s, long long *out)
{
	char		*end;
	long long	 v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	if (!isdigit((unsigned char)*s) && !((*s == '-' || *s == '+') &&
	    isdigit((unsigned char)s[1])))
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v == LLONG_MIN || v == LLONG_MAX)
		return -1;
	*out = v;
	return 0;
}

static char *
field_fmt_money(long long cents)
{
	char	*s;

	xasprintf(&s, "%lld.%02lld", cents / 100, cents % 100);
	return s;
}

static int
field_fail(struct field_value *out, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	out->why = xvasprintf_str(fmt, ap);
	va_end(ap);
	return -1;
}

/* A bound (min/max in the form file) as a number: integer or cents. */
static bool
field_bound(const struct field_def *f, const char *b, time_t now,
    long long *v)
{
	int	 y, m, d;

	if (b == NULL)
		return false;
	switch (f->type) {
	case FT_INTEGER:
		return integer_parse(b, v) == 0;
	case FT_MONEY:
		return money_parse(b, v) == 0;
	case FT_DATE:
	case FT_DATETIME:
		if (date_parse(b, now, &y, &m, &d) != 0)
			return false;
		*v = (long long)y * 10000 + m * 100 + d;
		return true;
	default:
		return false;
	}
}

static char *
field_bound_text(const struct field_def *f, long long v)
{
	char	*s;

	if (f->type == FT_MONEY)
		return field_fmt_money(v);
	if (f->type == FT_DATE || f->type == FT_DATETIME)
		xasprintf(&s, "%04lld-%02lld-%02lld", v / 10000, v / 100 % 100,
		    v % 100);
	else
		xasprintf(&s, "%lld", v);
	return s;
}

static int
field_range(const struct field_def *f, long long v, time_t now,
    struct field_value *out)
{
	long long	 b;
	char		*t;

	if (field_bound(f, f->min, now, &b) && v < b) {
		t = field_bound_text(f, b);
		field_fail(out, _("must be at least %s"), t);
		free(t);
		return -1;
	}
	if (field_bound(f, f->max, now, &b) && v > b) {
		t = field_bound_text(f, b);
		field_fail(out, _("must be at most %s"), t);
		free(t);
		return -1;
	}
	return 0;
}

/* Each name of a flags field (separated by commas or 、) resolved. */
static int
field_flags(const struct field_def *f, const char *text,
    const struct choices *t, struct field_value *out)
{
	static const char *const seps[] = { "\xe3\x80\x81",	/* 、 */
	    "\xef\xbc\x8c", "\xef\xbc\x9b" };			/* ， ； */
	char	*copy = xstrdup(text), *p, *tok, *v, *d;
	size_t	 idx, k, i;
	int	 r;

	/* Fold the Chinese separators into ASCII commas (same length). */
	for (i = 0; i < sizeof seps / sizeof seps[0]; i++)
		for (p = copy; (p = strstr(p, seps[i])) != NULL; p += 3)
			memcpy(p, ",  ", 3);
	out->value = xstrdup("");
	out->display = xstrdup("");
	for (p = copy; (tok = strsep(&p, ",;")) != NULL;) {
		char *w = field_trim(tok);
		if (*w == '\0') {
			free(w);
			continue;
		}
		r = choice_resolve(t, w, &idx);
		if (r != 0) {
			field_fail(out, r < 0 ? _("'%s' is not in the list "
			    "(F4 shows it)") : _("'%s' matches several entries "
			    "(F4 to choose)"), w);
			free(w);
			free(copy);
			return -1;
		}
		free(w);
		/* Once each. */
		k = strlen(t->v[idx].code);
		for (tok = out->value; (tok = strstr(tok, t->v[idx].code))
		    != NULL; tok += k)
			if ((tok == out->value || tok[-1] == ',') &&
			    (tok[k] == ',' || tok[k] == '\0'))
				break;
		if (tok != NULL)
			continue;
		xasprintf(&v, "%s%s%s", out->value, *out->value ? "," : "",
		    t->v[idx].code);
		xasprintf(&d, "%s%s%s", out->display, *out->display ?
		    _(", ") : "", t->v[idx].label);
		free(out->value);
		free(out->display);
		out->value = v;
		out->display = d;
	}
	free(copy);
	(void)f;
	return 0;
}

static int
field_typed(const struct field_def *f, const char *s,
    const struct choices *t, time_t now, struct field_value *out)
{
	const char	*cause = NULL;
	char		 mobile[12], *up;
	long long	 v;
	size_t		 idx;
	int		 y, m, d, h, mi, r;

	switch (f->type) {
	case FT_TEXT:
	case FT_PASSWORD:
		out->value = xstrdup(s);
		return 0;
	case FT_INTEGER:
		if (integer_parse(s, &v) != 0)
			return field_fail(out, "%s", _("must be a whole number"));
		xasprintf(&out->value, "%lld", v);
		out->display = xstrdup(out->value);
		return field_range(f, v, now, out);
	case FT_MONEY:
		if (money_parse(s, &v) != 0)
			return field_fail(out, "%s", _("must be an amount in "
			    "yuan, such as 1234.50"));
		out->value = field_fmt_money(v);
		out->display = xstrdup(out->value);
		return field_range(f, v, now, out);
	case FT_DATE:
		if (date_parse(s, now, &y, &m, &d) != 0)
			return field_fail(out, "%s", _("must be a real date: "
			    "YYYY-MM-DD, or t for today"));
		xasprintf(&out->value, "%04d-%02d-%02d", y, m, d);
		out->display = xstrdup(out->value);
		return field_range(f, (long long)y * 10000 + m * 100 + d, now,
		    out);
	case FT_DATETIME:
		if (datetime_parse(s, now, &y, &m, &d, &h, &mi) != 0)
			return field_fail(out, "%s", _("must be a real date and "
			    "time: YYYY-MM-DD HH:MM, or t for now"));
		xasprintf(&out->value, "%04d-%02d-%02d %02d:%02d", y, m, d, h,
		    mi);
		out->display = xstrdup(out->value);
		return field_range(f, (long long)y * 10000 + m * 100 + d, now,
		    out);
	case FT_MOBILE:
		if (mobile_normalize(s, mobile, &cause) != 0)
			return field_fail(out, "%s", _(cause));
		out->value = xstrdup(mobile);
		return 0;
	case FT_IDCARD:
		up = xstrdup(s);
		if (up[0] != '\0' && up[strlen(up) - 1] == 'x')
			up[strlen(up) - 1] = 'X';
		if (idcard_check(up, NULL, &cause) != 0) {
			free(up);
			return field_fail(out, "%s", _(cause));
		}
		out->value = up;
		out->display = xstrdup(up);
		return 0;
	case FT_PERSON:
		up = xstrdup(s);
		if (up[0] != '\0' && up[strlen(up) - 1] == 'x')
			up[strlen(up) - 1] = 'X';
		if (idcard_check(up, NULL, &cause) == 0) {
			out->value = up;
			return 0;
		}
		free(up);
		if (mobile_normalize(s, mobile, &cause) == 0) {
			out->value = xstrdup(mobile);
			return 0;
		}
		return field_fail(out, "%s", _("type a resident ID number or "
		    "a mobile number"));
	case FT_YESNO:
		if (t == NULL)
			t = &yesno_choices;
		/* FALLTHROUGH */
	case FT_CHOICE:
	case FT_ORGUNIT:
		if (t == NULL)
			return field_fail(out, "%s", _("the list of choices "
			    "cannot be loaded"));
		if ((r = choice_resolve(t, s, &idx)) != 0)
			return field_fail(out, "%s", r < 0 ?
			    _("not in the list (F4 shows it)") :
			    _("matches several entries (F4 to choose)"));
		out->value = xstrdup(t->v[idx].code);
		out->display = xstrdup(t->v[idx].label);
		return 0;
	case FT_FLAGS:
		if (t == NULL)
			return field_fail(out, "%s", _("the list of choices "
			    "cannot be loaded"));
		return field_flags(f, s, t, out);
	}
	return field_fail(out, "%s", "unknown field type");
}

int
field_check(const struct field_def *f, const char *text, bool required,
    const struct choices *t, time_t now, struct field_value *out)
{
	wchar_t	*w;
	char	*s;
	size_t	 n;
	int	 ret = -1;

	memset(out, 0, sizeof *out);
	/* A password is taken as typed, spaces and all. */
	s = f->type == FT_PASSWORD ? xstrdup(text) : field_trim(text);
	if (*s == '\0') {
		free(s);
		if (required)
			return field_fail(out, "%s", _("this field is required"));
		return 0;
	}
	w = wcs_from_utf8(s);
	n = wcslen(w);
	free(w);
	if ((f->type == FT_TEXT || f->type == FT_PASSWORD) &&
	    (int)n > f->max_length) {
		field_fail(out, _("too long: at most %d characters"),
		    f->max_length);
		goto out;
	}
	if ((f->type == FT_TEXT || f->type == FT_PASSWORD) &&
	    (int)n < f->min_length) {
		field_fail(out, _("too short: at least %d characters"),
		    f->min_length);
		goto out;
	}
	if (f->pattern_re != NULL &&
	    regexec(f->pattern_re, s, 0, NULL, 0) != 0) {
		field_fail(out, "%s", f->pattern_help != NULL ?
		    _(f->pattern_help) : _("is not in the expected form"));
		goto out;
	}
	if ((ret = field_typed(f, s, t, now, out)) != 0) {
		free(out->value);
		free(out->display);
		out->value = out->display = NULL;
	}
out:
	if (f->type == FT_PASSWORD)
		explicit_bzero(s, strlen(s));
	free(s);
	if (ret == 0 && f->type == FT_FLAGS && *out->value == '\0') {
		/* Only separators typed: empty. */
		field_value_clear(out);
		if (required)
			return field_fail(out, "%s", _("this field is required"));
	}
	return ret;
}

void
field_value_clear(struct field_value *v)
{
	free(v->value);
	free(v->display);
	free(v->why);
	memset(v, 0, sizeof *v);
}

char *
field_hint(const struct field_def *f, const char *text)
{
	struct idcard_info	 info;
	const char		*cause;
	char			*s, *up;

	if (f->type != FT_IDCARD || *text == '\0')
		return NULL;
	up = field_trim(text);
	if (up[0] != '\0' && up[strlen(up) - 1] == 'x')
		up[strlen(up) - 1] = 'X';
	if (idcard_check(up, &info, &cause) != 0) {
		free(up);
		return NULL;
	}
	free(up);
	xasprintf(&s, _("born %04d-%02d-%02d, %s"), info.year, info.month,
	    info.day, info.female ? _("female") : _("male"));
	return s;
}

bool
cond_holds(const struct cond *c, const char *value)
{
	const char	*p;
	size_t		 i, k;
	bool		 hit = false;

	if (value == NULL)
		value = "";
	if (c->nvalues == 0)
		hit = *value != '\0' && strcmp(value, "no") != 0;
	for (i = 0; i < c->nvalues && !hit; i++) {
		/* A flags value "a,b" holds each of its codes. */
		k = strlen(c->values[i]);
		for (p = value; (p = strstr(p, c->values[i])) != NULL; p += k) {
			if ((p == value || p[-1] == ',') &&
			    (p[k] == ',' || p[k] == '\0')) {
				hit = true;
				break;
			}
			if (k == 0)
				break;
		}
		if (k == 0 && *value == '\0')
			hit = true;
	}
	return c->negate ? !hit : hit;
}
